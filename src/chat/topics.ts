import type { Bindings } from '../contracts/env';
import type { Passage } from '../kb/types';
import { localEmbedder } from '../providers/local/semantic';
import { cosineSimilarity } from '../lib/vectors';
import { retrievalConfidence } from './escalation';

/**
 * Is a message within the bot's topics? Decided without a paid call, leaning towards answering
 * (a wrong refusal costs a customer; a wrong answer is still grounded, and says "I don't know"):
 * 1. small talk (greetings, thanks, yes/no) passes;
 * 2. a topic word (≥ 3 letters, crude -s/-es/-ed/-ing stemming) in the message passes;
 * 3. the local sentence embeddings: cosine ≥ TOPIC_MIN_SIMILARITY to any topic passes;
 * 4. the knowledge base: a retrieved passage with similarity ≥ ON_TOPIC_PASSAGE_SIMILARITY passes
 *    — the bot's documents are its domain.
 * The previous user message is read too, so a follow-up ("and how long does it take?") stays in
 * the topic of the question it follows. Thresholds are calibrated on the local word vectors
 * (on-topic support questions scored 0.22–0.55, off-topic ones ≤ 0.28); a neural knowledge base's
 * cosines run higher, which makes rule 4 more lenient there. Word vectors see topic overlap only:
 * name topics with the words customers use ("billing, charges, payments"), not one abstract word.
 */
export const TOPIC_MIN_SIMILARITY = 0.3;
export const ON_TOPIC_PASSAGE_SIMILARITY = 0.35;

const SMALL_TALK = /^\s*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|thanks?(?:\s+you)?|thank\s+you(?:\s+so\s+much)?|ok(?:ay)?|yes|no|bye|goodbye|cheers)\b[\s\S]{0,20}$/i;

const stem = (word: string) => word.toLowerCase().replace(/(?:ing|ed|es|s)$/, '');
const wordsOf = (text: string) => (text.match(/[\p{L}\p{N}]{3,}/gu) ?? []).map(stem);

/** Rules 1 and 2: free, and enough for most on-topic messages. */
export function plainlyWithinTopics(message: string, previous: string | undefined, topics: string[]): boolean {
  if (SMALL_TALK.test(message)) return true;
  const said = new Set(wordsOf(previous ? `${previous}\n${message}` : message));
  return topics.some((topic) => wordsOf(topic).some((word) => said.has(word)));
}

/** Rules 3 and 4, for messages rules 1–2 did not settle; `passages` are the message's retrieval results. */
export async function withinTopicsByMeaning(env: Bindings, message: string, previous: string | undefined, topics: string[], passages: Passage[]): Promise<boolean> {
  if (passages.length > 0 && retrievalConfidence(passages) >= ON_TOPIC_PASSAGE_SIMILARITY) return true;
  const embedder = await localEmbedder(env);
  const [asked, ...described] = embedder.embed([previous ? `${previous}\n${message}` : message, ...topics]);
  return described.some((topic) => cosineSimilarity(asked!, topic) >= TOPIC_MIN_SIMILARITY);
}

export function offTopicMessage(topics: string[]): string {
  const list = topics.length > 1 ? `${topics.slice(0, -1).join(', ')} and ${topics.at(-1)}` : topics[0];
  return `Sorry, I can only help with questions about ${list}. Is there anything about that I can help you with?`;
}
