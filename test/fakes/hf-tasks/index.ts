// Every task the Hugging Face stand-in serves, one file per task.
import { sentiment } from './sentiment';
import { classify } from './classify';
import { biomedicalEntities, entities } from './entities';
import { answer } from './answer';
import { moderate } from './moderate';
import { summarize } from './summarize';
import type { HfTaskHandler } from './types';

export const HANDLERS: HfTaskHandler[] = [sentiment, classify, entities, biomedicalEntities, answer, moderate, summarize];
