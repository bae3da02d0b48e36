// `@cf/meta/llama-guard-3-8b`: `{ messages: [{role, content}], response_format? }` → `{ response, usage }`
// (UPSTREAMS.md §1.2). `response` is the object `{ safe, categories: ["S1", …] }` when
// response_format.type is "json_object", else the model's text: "safe" or "unsafe\nS1,S9".
// Deterministic verdicts from a few words; [[ai:string]] in the text forces the text form.
import { directive } from '../sentiment-lexicon.mjs';

const HAZARDS = [
  ['S1', /\b(kill|murder|stab|shoot)\b/i],
  ['S2', /\b(steal|shoplift|hack into)\b/i],
  ['S9', /\b(bomb|explosive|nerve gas)\b/i],
  ['S11', /\b(suicide|kill myself|self-harm)\b/i],
];

export const models = {
  '@cf/meta/llama-guard-3-8b': (inputs) => {
    if (!Array.isArray(inputs?.messages) || inputs.messages.length === 0) throw new Error('3003: Request is missing headers or body: messages');
    const text = inputs.messages.map((m) => String(m?.content ?? '')).join('\n');
    const categories = HAZARDS.filter(([, pattern]) => pattern.test(text)).map(([code]) => code);
    const safe = categories.length === 0;
    const asObject = inputs.response_format?.type === 'json_object' && directive(text, 'ai') !== 'string';
    const response = asObject ? { safe, categories } : safe ? 'safe' : `unsafe\n${categories.join(',')}`;
    return { response, usage: { prompt_tokens: Math.ceil(text.length / 4), completion_tokens: 5, total_tokens: Math.ceil(text.length / 4) + 5 } };
  },
};
