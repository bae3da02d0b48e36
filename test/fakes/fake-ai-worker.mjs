// Stand-in for the Workers AI binding, bound as `AI` through a service binding, so the Worker
// calls `env.AI.run(model, inputs, options)` over RPC exactly as it calls the real binding.
// Models live in ./ai-models (one file per task). A test asks for a fault by putting a directive
// anywhere in the inputs: [[ai:<code>]] throws "<code>: <message>" (e.g. 3040), [[ai:hang]]
// answers only after 30 s, [[ai:slow]] answers normally after 300 ms, [[ai:wrong-shape]] returns
// an object no model returns. Fault matrix additions (test/faults): [[ai:internal]] throws an
// error with no code (AiInternalError, a 5xx); [[ai:missing-field]] answers the model's normal
// shape with its `score`, `data` and `response` fields removed; [[ai:nested]] wraps a list answer
// in one more list (the other classification shape). Per model: [[ai:string]] (moderate.mjs),
// [[ai:preamble]], [[ai:long]], [[ai:empty]], [[ai:response-number]], [[ai:response-object]]
// (summarize.mjs, chat.mjs) and the stream directives (chat.mjs); the full table is in docs/testing.md.
import { WorkerEntrypoint } from 'cloudflare:workers';
import { MODELS } from './ai-models/index.mjs';
import { directive } from './sentiment-lexicon.mjs';

const ERRORS = {
  3040: 'Capacity temporarily exceeded, please try again.',
  3036: "You have used up your daily free allocation of 10,000 neurons. Please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage.",
  3007: 'Request timeout',
  3042: 'The model name is invalid',
  5007: 'No such model or task',
};

/** Every call's model and JSON inputs: lets concurrent test files count their own calls. */
const calls = [];

export class FakeAi extends WorkerEntrypoint {
  async run(model, inputs) {
    const serialized = JSON.stringify(inputs ?? null);
    calls.push({ model, serialized });
    const fault = directive(serialized, 'ai');
    if (fault === 'hang') return new Promise((resolve) => setTimeout(() => resolve({}), 30_000));
    // Answers normally after 300 ms: long enough for concurrent identical requests to overlap.
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
    if (fault === 'wrong-shape') return { unexpected: 'shape' };
    if (fault && ERRORS[fault]) throw new Error(`InferenceUpstreamError: ${fault}: ${ERRORS[fault]}`);
    if (fault === 'internal') throw new Error('AiInternalError: Internal server error');
    const handler = MODELS[model];
    if (!handler) throw new Error(`5007: No such model ${model} or task`);
    const answer = await handler(inputs);
    if (fault === 'missing-field') return withoutFields(answer, ['score', 'data', 'response']);
    if (fault === 'nested' && Array.isArray(answer)) return [answer];
    return answer;
  }
}

function withoutFields(value, names) {
  if (Array.isArray(value)) return value.map((entry) => withoutFields(entry, names));
  if (!value || typeof value !== 'object' || value instanceof ReadableStream) return value;
  return Object.fromEntries(Object.entries(value).filter(([name]) => !names.includes(name)).map(([name, entry]) => [name, withoutFields(entry, names)]));
}

/** Test-only control surface, on a second binding to the same isolate. */
export class Control extends WorkerEntrypoint {
  /** Calls whose inputs contained `text` (optionally to one model). */
  async callsFor(text, model) {
    const needle = JSON.stringify(text).slice(1, -1);
    return calls.filter((call) => call.serialized.includes(needle) && (!model || call.model === model)).length;
  }
}

export default {
  fetch() {
    return new Response('fake Workers AI: use the RPC binding', { status: 404 });
  },
};
