import { relevanceLogit } from '../ai-models/rerank.mjs';
import { directive } from '../sentiment-lexicon.mjs';
import { ok, type HfReply, type HfTaskHandler } from './types';

// A cross-encoder (BAAI/bge-reranker-v2-m3, hub task text-classification, one logit) as the
// serverless hf-inference route serves it: transformers' text-classification pipeline behind the
// Inference Toolkit. Sources: huggingface-inference-toolkit `webservice_starlette.py` (`predict`:
// a body without `inputs` is refused; every exception is 400 `{"error": str(e)}`) and
// `handler.py` (`inputs = data.pop("inputs", data)`; a dict is spread into keyword arguments);
// transformers `pipelines/text_classification.py` (`preprocess`: a dict is one
// `{text, text_pair}` pair, a list inside the list is refused; `postprocess`: one logit →
// sigmoid by default, softmax over one label is 1; without `top_k` each input answers one
// `{label, score}`).

const toolkitError = (error: string): HfReply => ({ status: 400, body: { error } });

const PAIR_KEYS = new Set(['text', 'text_pair']);

/** The pair's logit; a segment with no words in common with the other (or none) sits at cosine 0. */
function pairLogit(text: string, pair: string): number {
  const logit = relevanceLogit(text, pair);
  return Number.isFinite(logit) ? logit : 16 * (0 - 0.6);
}

function score(logit: number, transform: unknown): number {
  const value = transform === 'none' ? logit : transform === 'softmax' ? 1 : 1 / (1 + Math.exp(-logit));
  return Math.round(value * 1e6) / 1e6;
}

export const crossEncoder: HfTaskHandler = {
  task: 'rerank-cross-encoder',
  models: ['BAAI/bge-reranker-v2-m3', 'acme/reranker-legal'],
  handle(request) {
    const { __path: _path, ...body } = request;
    if (!('inputs' in body) && !('instances' in body)) return toolkitError(`Body needs to provide a inputs key, received: b'${JSON.stringify(body)}'`);
    const { inputs, parameters } = body;
    const transform = parameters?.function_to_apply;
    // The Toolkit calls `pipeline(**inputs)` for a dict: the pipeline's `inputs` argument is missing.
    if (typeof inputs === 'object' && inputs !== null && !Array.isArray(inputs)) return toolkitError("TextClassificationPipeline.__call__() missing 1 required positional argument: 'inputs'");
    if (typeof inputs === 'string') return ok([{ label: 'LABEL_0', score: score(pairLogit(inputs, ''), transform) }]);
    if (!Array.isArray(inputs) || inputs.length === 0) return toolkitError('You need to provide at least one input');
    const answers: { label: string; score: number }[] = [];
    for (const input of inputs as unknown[]) {
      if (Array.isArray(input)) {
        return toolkitError('The pipeline received invalid inputs, if you are trying to send text pairs, you can try to send a dictionary `{"text": "My text", "text_pair": "My pair"}` in order to send a text pair.');
      }
      const pair = typeof input === 'string' ? { text: input } : (input as Record<string, unknown>);
      const unknownKey = Object.keys(pair ?? {}).find((key) => !PAIR_KEYS.has(key));
      if (unknownKey || typeof pair?.text !== 'string' || (pair.text_pair !== undefined && typeof pair.text_pair !== 'string')) {
        return toolkitError(`__call__() got an unexpected keyword argument '${unknownKey ?? 'text'}'`);
      }
      answers.push({ label: 'LABEL_0', score: score(pairLogit(pair.text, String(pair.text_pair ?? '')), transform) });
    }
    // [[hf:nested]]: each pair's answer in a one-entry list, as with `top_k` set.
    const nested = directive(JSON.stringify(inputs), 'hf') === 'nested';
    return ok(nested ? answers.map((answer) => [answer]) : answers);
  },
};
