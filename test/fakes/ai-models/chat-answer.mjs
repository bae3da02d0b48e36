// The deterministic "model" behind both chat stand-ins (Workers AI llama and the Hugging Face
// chat-completion endpoint), so a provider can continue exactly what another one started.
// Grounded prompt (a system message with <source id="n" title="…"> blocks): answers with the
// first sentence of source 1, cited [1]; with [[fake:cite-2]] in the question also source 2's
// first sentence cited [2]; with [[fake:cite-9]] an invented citation [9]; with [[fake:toxic]]
// an answer the moderation stand-ins flag. An empty <sources> section: "I don't know". No
// sources section at all (plain chat): echoes the question. A continuation request (the last
// user message starts "Your previous answer was cut off") answers the rest of the full answer
// after the partial one in the preceding assistant message.
const SOURCE = /<source id="(\d+)" title="([^"]*)">\n([\s\S]*?)\n<\/source>/g;
const CONTINUE = /^Your previous answer was cut off/;

const clean = (text) => text.replace(/\[\[(?:ai|hf|fake):[\w.-]+\]\]/g, '').trim();
const firstSentence = (text) => (clean(text).match(/[^.!?]+[.!?]?/)?.[0] ?? '').trim();

export function fullAnswer(messages, question) {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  if (!system.includes('<sources>')) return `You said: ${firstSentence(question) || clean(question)}`;
  const sources = [...system.matchAll(SOURCE)].map(([, index, title, text]) => ({ index: Number(index), title, text }));
  if (sources.length === 0) return "I'm sorry, I don't know the answer to that. Would you like me to connect you with a person?";
  let answer = `${firstSentence(sources[0].text)} [1]`;
  if (question.includes('[[fake:cite-2]]') && sources[1]) answer += ` Also, ${firstSentence(sources[1].text)} [2]`;
  if (question.includes('[[fake:cite-9]]')) answer += ' See also the appendix [9].';
  if (question.includes('[[fake:toxic]]')) answer += ' You idiot, I will kill you.';
  return answer;
}

/** The answer to a chat request's messages: the whole answer, or the rest of it when asked to continue. */
export function chatAnswer(messages) {
  const last = messages.at(-1);
  if (last?.role === 'user' && CONTINUE.test(last.content)) {
    const partial = messages.at(-2)?.role === 'assistant' ? messages.at(-2).content : '';
    const question = messages.slice(0, -2).filter((m) => m.role === 'user').at(-1)?.content ?? '';
    const full = fullAnswer(messages.slice(0, -2), question);
    return full.startsWith(partial) ? full.slice(partial.length) : full;
  }
  const question = messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  return fullAnswer(messages, question);
}

/** Token-sized pieces of a text (words with their following space), as a model streams them. */
export const pieces = (text) => text.match(/\S+\s*|\s+/g) ?? [];

export const countTokens = (text) => Math.ceil(new TextEncoder().encode(text).length / 4);
