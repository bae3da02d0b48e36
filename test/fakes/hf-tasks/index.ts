// Every task the Hugging Face stand-in serves, one file per task.
import { sentiment } from './sentiment';
import { classify } from './classify';
import { biomedicalEntities, entities } from './entities';
import { answer } from './answer';
import { moderate } from './moderate';
import { embed } from './embed';
import { similarity } from './similarity';
import { rerank } from './rerank';
import { crossEncoder } from './cross-encoder';
import { summarize } from './summarize';
import { translate } from './translate';
import { chat } from './chat';
import type { HfTaskHandler } from './types';

export const HANDLERS: HfTaskHandler[] = [sentiment, classify, entities, biomedicalEntities, answer, moderate, summarize, embed, similarity, rerank, crossEncoder, translate, chat];
