import type { LocalEmbedder } from '../../providers/local/semantic';
import { cosineSimilarity } from '../../lib/vectors';
import type { AnswerItem, AnswerResult } from './schema';
import { contentTerms, sentenceSpans, type SentenceSpan } from './sentences';

/**
 * Weights of the local tier's sentence score. Word overlap (IDF-weighted, so words every sentence
 * shares count little) carries most of it; the semantic word vectors catch paraphrases ("began"
 * vs "started"); a small bonus goes to sentences holding the kind of thing the question asks for.
 */
export const LEXICAL_WEIGHT = 0.6;
export const SEMANTIC_WEIGHT = 0.3;
export const ANSWER_TYPE_BONUS = 0.1;
/**
 * Work units (providers/local/bounds.ts) of the context and of the question that are read: all of
 * an ordinary 10,000-character context (~2,700–2,850 for one dense with prices, times and addresses) and
 * 500-character question (~130), the start of a text made of nothing but tokens wink splits the
 * slow way. A bound on the work per request.
 */
export const LOCAL_CONTEXT_UNITS = 2_900;
export const LOCAL_QUESTION_UNITS = 260;

type AnswerKind = 'time' | 'duration' | 'quantity' | 'name';

const TIME_ENTITIES = new Set(['DATE', 'TIME', 'DURATION']);
const QUANTITY_ENTITIES = new Set(['CARDINAL', 'MONEY', 'PERCENT']);

/** The kind of answer a question asks for, from its wh-word. */
function expectedKind(question: string): AnswerKind | undefined {
  const q = question.toLowerCase();
  if (/\b(when|what year|which year|what date|what time|since when)\b/.test(q)) return 'time';
  if (/\bhow (long|often)\b/.test(q)) return 'duration';
  if (/\bhow (many|much|far|old|tall|big|heavy)\b|\bwhat (percentage|percent|number|price|amount)\b/.test(q)) return 'quantity';
  if (/^\W*(who|whom|whose|where)\b|\b(who|where) (is|was|are|were|did|does)\b/.test(q)) return 'name';
  return undefined;
}

/** Capitalised words after a sentence's first word that the question does not already name. */
function namesNotInQuestion(sentence: SentenceSpan, question: string): boolean {
  const asked = question.toLowerCase();
  const words = sentence.text.split(/\s+/).slice(1);
  return words.some((word) => /^\p{Lu}\p{Ll}+/u.test(word) && !asked.includes(word.replace(/\W+$/u, '').toLowerCase()));
}

function holdsKind(sentence: SentenceSpan, kind: AnswerKind | undefined, question: string): boolean {
  if (kind === 'time') return [...sentence.entityTypes].some((type) => TIME_ENTITIES.has(type)) || /\b(1[5-9]|20)\d{2}\b/.test(sentence.text);
  if (kind === 'duration') return sentence.entityTypes.has('DURATION');
  if (kind === 'quantity') return [...sentence.entityTypes].some((type) => QUANTITY_ENTITIES.has(type)) || /\d/.test(sentence.text);
  if (kind === 'name') return namesNotInQuestion(sentence, question);
  return false;
}

/** IDF over the context's sentences: a term in every sentence tells them apart least. */
function inverseFrequencies(sentences: SentenceSpan[], terms: string[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const term of terms) {
    const containing = sentences.filter((sentence) => sentence.terms.includes(term)).length;
    weights.set(term, Math.log(1 + sentences.length / Math.max(1, containing)));
  }
  return weights;
}

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;

/**
 * The local tier's extractive QA: the context sentence that best matches the question, returned
 * whole (trimmed) with its offsets in the original context. Its score is a match score in 0–1,
 * not a probability that the sentence answers the question.
 */
export async function answerFromSentences(item: AnswerItem, embedder: LocalEmbedder): Promise<AnswerResult> {
  const sentences = sentenceSpans(item.context, LOCAL_CONTEXT_UNITS);
  if (sentences.length === 0) return { answer: '', score: 0, start: 0, end: 0 };
  const questionTerms = [...new Set(contentTerms(item.question, LOCAL_QUESTION_UNITS))];
  const idf = inverseFrequencies(sentences, questionTerms);
  const totalWeight = [...idf.values()].reduce((sum, weight) => sum + weight, 0);
  const [questionVector, ...sentenceVectors] = embedder.embed([item.question, ...sentences.map((sentence) => sentence.text)]);
  const kind = expectedKind(item.question);

  let best = { index: 0, score: -1 };
  sentences.forEach((sentence, index) => {
    const overlap = questionTerms.filter((term) => sentence.terms.includes(term)).reduce((sum, term) => sum + idf.get(term)!, 0);
    const lexical = totalWeight > 0 ? overlap / totalWeight : 0;
    const semantic = Math.max(0, cosineSimilarity(questionVector!, sentenceVectors[index]!));
    const bonus = holdsKind(sentence, kind, item.question) ? ANSWER_TYPE_BONUS : 0;
    const score = LEXICAL_WEIGHT * lexical + SEMANTIC_WEIGHT * semantic + bonus;
    if (score > best.score) best = { index, score };
  });
  const sentence = sentences[best.index]!;
  return { answer: sentence.text, score: round(best.score), start: sentence.start, end: sentence.end };
}
