// `@cf/meta/llama-3.2-1b-instruct`: `{ messages | prompt, max_tokens?, … }` → `{ response, usage }`,
// like the instruct model (UPSTREAMS.md §1.2). Deterministic stand-in: when the system prompt asks
// for a summary "in at most N words" it answers with the user text's first sentences within N
// words (a crude extractive "summary"); otherwise it echoes the last user message's first sentence.
// Directives in the user text: [[ai:preamble]] prefixes "Here is a summary…:" like a chatty model,
// [[ai:long]] ignores the word limit, [[ai:empty]] answers "", [[ai:response-number]] and
// [[ai:response-object]] answer `response` as a number or an object (see chat.mjs).
import { directive } from '../sentiment-lexicon.mjs';

const tokens = (text) => Math.ceil(new TextEncoder().encode(text).length / 4);
const words = (text) => text.split(/\s+/).filter(Boolean);

function firstSentencesWithin(text, limit) {
  const sentences = text.replace(/\[\[ai:[\w.-]+\]\]/g, '').match(/[^.!?]+[.!?]*/g) ?? [];
  let out = '';
  for (const sentence of sentences) {
    const next = `${out} ${sentence.trim()}`.trim();
    if (out && words(next).length > limit) break;
    out = next;
  }
  return words(out).length > limit ? words(out).slice(0, limit).join(' ') : out;
}

function promptOf(inputs) {
  if (Array.isArray(inputs?.messages)) {
    if (!inputs.messages.every((m) => typeof m?.role === 'string' && typeof m?.content === 'string')) throw new Error('5004: Invalid data type for messages');
    const system = inputs.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
    const user = inputs.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    return { system, user, all: inputs.messages.map((m) => m.content).join('\n') };
  }
  if (typeof inputs?.prompt === 'string') return { system: '', user: inputs.prompt, all: inputs.prompt };
  throw new Error('3003: Request is missing headers or body: prompt or messages');
}

export const models = {
  '@cf/meta/llama-3.2-1b-instruct': (inputs) => {
    const { system, user, all } = promptOf(inputs);
    const asked = /at most (\d+) words/i.exec(system);
    const fault = directive(user, 'ai');
    let response;
    if (fault === 'empty') response = '';
    else if (asked) response = fault === 'long' ? user.replace(/\[\[ai:[\w.-]+\]\]/g, '').trim() : firstSentencesWithin(user, Number(asked[1]));
    else response = firstSentencesWithin(user, 40);
    if (fault === 'preamble') response = `Here is a summary of the text in ${asked?.[1] ?? 'a few'} words:\n\n${response}`;
    const maxTokens = inputs.max_tokens ?? 256;
    const completion = Math.min(tokens(response), maxTokens);
    const usage = { prompt_tokens: tokens(all), completion_tokens: completion, total_tokens: tokens(all) + completion };
    // A non-string `response` (see chat.mjs): a number-only answer, or a model that answered JSON.
    if (fault === 'response-number') return { response: Number(/\d+/.exec(response)?.[0] ?? 0), usage };
    if (fault === 'response-object') return { response: { summary: response }, usage };
    return { response, usage };
  },
};
