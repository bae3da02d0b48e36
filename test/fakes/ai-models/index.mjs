// Every model the Workers AI stand-in knows, one file per task. A task's file exports
// `models: { '<model id>': (inputs) => output }`, answering with the exact shapes of
// reference/UPSTREAMS.md §1.2 and throwing "<code>: <message>" errors like the binding.
import { models as sentiment } from './sentiment.mjs';
import { models as classify } from './classify.mjs';
import { models as moderate } from './moderate.mjs';
import { models as embed } from './embed.mjs';
import { models as rerank } from './rerank.mjs';
import { models as summarize } from './summarize.mjs';
import { models as translate } from './translate.mjs';
// After summarize: the llama model's chat handler hands summary prompts back to summarize's.
import { models as chat } from './chat.mjs';

export const MODELS = { ...sentiment, ...classify, ...moderate, ...summarize, ...chat, ...embed, ...rerank, ...translate };
