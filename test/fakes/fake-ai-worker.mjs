// Stand-in for the Workers AI binding, bound as `AI` through a service binding, so the Worker
// calls `env.AI.run(model, inputs, options)` over RPC exactly as it calls the real binding.
// Output shapes and error messages follow reference/UPSTREAMS.md §1. A test asks for a fault by
// putting a directive in the input text: [[ai:<code>]] throws "<code>: <message>" (e.g. 3040),
// [[ai:hang]] never answers, [[ai:wrong-shape]] returns an object instead of the label array.
import { WorkerEntrypoint } from 'cloudflare:workers';
import { directive, positiveProbability } from './sentiment-lexicon.mjs';

const ERRORS = {
  3040: 'Capacity temporarily exceeded, please try again.',
  3036: 'You have used up your daily free allocation of 10,000 neurons. Please upgrade to Cloudflare\'s Workers Paid plan if you would like to continue usage.',
  3007: 'Request timeout',
  3042: 'The model name is invalid',
  5007: 'No such model or task',
};

/** Calls seen, by input text: lets concurrent test files count their own calls. */
const callsByText = new Map();

function textClassification(text) {
  const positive = positiveProbability(text);
  const labels = [
    { label: 'NEGATIVE', score: Math.round((1 - positive) * 10_000) / 10_000 },
    { label: 'POSITIVE', score: positive },
  ];
  return labels.sort((a, b) => b.score - a.score);
}

const MODELS = {
  '@cf/huggingface/distilbert-sst-2-int8': (inputs) => {
    if (typeof inputs?.text !== 'string' || inputs.text.length === 0) throw new Error('3003: Request is missing headers or body: text');
    return textClassification(inputs.text);
  },
};

export class FakeAi extends WorkerEntrypoint {
  async run(model, inputs) {
    const text = inputs?.text ?? '';
    callsByText.set(text, (callsByText.get(text) ?? 0) + 1);
    const fault = directive(text, 'ai');
    if (fault === 'hang') return new Promise((resolve) => setTimeout(() => resolve([]), 30_000));
    if (fault === 'wrong-shape') return { label: 'POSITIVE' };
    if (fault && ERRORS[fault]) throw new Error(`InferenceUpstreamError: ${fault}: ${ERRORS[fault]}`);
    const handler = MODELS[model];
    if (!handler) throw new Error(`5007: No such model ${model} or task`);
    return handler(inputs);
  }
}

/** Test-only control surface, on a second binding to the same isolate. */
export class Control extends WorkerEntrypoint {
  async callsFor(text) {
    return callsByText.get(text) ?? 0;
  }
}

export default {
  fetch() {
    return new Response('fake Workers AI: use the RPC binding', { status: 404 });
  },
};
