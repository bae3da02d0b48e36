import type { Bindings } from '../env';
import { cosine, localEmbedder } from '../providers/local/semantic';

/**
 * Is a message within the bot's topics? Decided locally and for free, before any retrieval or
 * generation is paid for:
 * 1. small talk (greetings, thanks, yes/no) always passes — a refusal to "hello" is rude;
 * 2. a topic word (≥ 3 letters, crude plural/-ing stemming) appearing in the message passes;
 * 3. otherwise the local tier's sentence embeddings decide: cosine ≥ TOPIC_MIN_SIMILARITY to any
 *    topic. Word vectors see topic overlap, which is exactly what this check needs.
 * The previous user message is read too, so a follow-up ("and how long does it take?") stays in
 * the topic of the question it follows.
 */
export const TOPIC_MIN_SIMILARITY = 0.45;

const SMALL_TALK = /^\s*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|thanks?(?:\s+you)?|thank\s+you(?:\s+so\s+much)?|ok(?:ay)?|yes|no|bye|goodbye|cheers)\b[\s\S]{0,20}$/i;

const stem = (word: string) => word.toLowerCase().replace(/(?:ing|es|s)$/, '');
const wordsOf = (text: string) => (text.match(/[\p{L}\p{N}]{3,}/gu) ?? []).map(stem);

export async function withinTopics(env: Bindings, message: string, previous: string | undefined, topics: string[]): Promise<boolean> {
  if (SMALL_TALK.test(message)) return true;
  const text = previous ? `${previous}\n${message}` : message;
  const said = new Set(wordsOf(text));
  if (topics.some((topic) => wordsOf(topic).some((word) => said.has(word)))) return true;
  const embedder = await localEmbedder(env);
  const [asked, ...described] = embedder.embed([text, ...topics]);
  return described.some((topic) => cosine(asked!, topic) >= TOPIC_MIN_SIMILARITY);
}

export function offTopicMessage(topics: string[]): string {
  const list = topics.length > 1 ? `${topics.slice(0, -1).join(', ')} and ${topics.at(-1)}` : topics[0];
  return `Sorry, I can only help with questions about ${list}. Is there anything about that I can help you with?`;
}
