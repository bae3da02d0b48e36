import type { AnswerResult } from './schema';

/** What an extractive QA model reports: offsets it computed in its own string units. */
export interface ReportedSpan {
  answer: string;
  score: number;
  start: number;
  end: number;
}

const ASTRAL = /[\uD800-\uDFFF]/;

/**
 * Python (transformers, the HF Inference Toolkit) counts offsets in code points; JavaScript
 * indexes UTF-16 code units. They differ after any character outside the BMP (emoji, some CJK).
 */
export function codePointToUtf16Offset(text: string, codePoints: number): number {
  let units = 0;
  let points = 0;
  for (const char of text) {
    if (points === codePoints) return units;
    units += char.length;
    points++;
  }
  return units;
}

const clampScore = (score: number) => Math.round(Math.min(1, Math.max(0, score)) * 10_000) / 10_000;

/** Narrows [start, end) past surrounding whitespace (BPE models often include the leading space). */
function trimmedSpan(context: string, start: number, end: number, score: number): AnswerResult {
  while (start < end && /\s/.test(context[start]!)) start++;
  while (end > start && /\s/.test(context[end - 1]!)) end--;
  return { answer: context.slice(start, end), score: clampScore(score), start, end };
}

/**
 * Turns a model's span into one that holds `answer === context.slice(start, end)` in UTF-16
 * offsets: the offsets as given, else converted from code points, else the reported answer text
 * found in the context nearest the reported start. Undefined when the answer is not in the context.
 */
export function alignToContext(context: string, reported: ReportedSpan): AnswerResult | undefined {
  const candidates: [number, number][] = [[reported.start, reported.end]];
  if (ASTRAL.test(context)) candidates.push([codePointToUtf16Offset(context, reported.start), codePointToUtf16Offset(context, reported.end)]);
  const wanted = reported.answer.trim();
  for (const [start, end] of candidates) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > context.length) continue;
    if (context.slice(start, end).trim() === wanted) return trimmedSpan(context, start, end, reported.score);
  }
  if (wanted === '') return { answer: '', score: clampScore(reported.score), start: 0, end: 0 };
  let best: number | undefined;
  for (let at = context.indexOf(wanted); at >= 0; at = context.indexOf(wanted, at + 1)) {
    if (best === undefined || Math.abs(at - reported.start) < Math.abs(best - reported.start)) best = at;
  }
  return best === undefined ? undefined : { answer: wanted, score: clampScore(reported.score), start: best, end: best + wanted.length };
}
