import { directive } from '../sentiment-lexicon.mjs';
import { invalid, ok, type HfTaskHandler } from './types';

const words = (text: string) => new Set(text.toLowerCase().match(/\p{L}+|\d+/gu) ?? []);

/** Offsets as Python computes them: in code points, not UTF-16 units (they differ after an emoji). */
const codePoints = (text: string, utf16Offset: number) => [...text.slice(0, utf16Offset)].length;

/**
 * question-answering: `{inputs: {question, context}}` → `{answer, score, start, end}` like the
 * Inference Toolkit (transformers): the span is the first number in the context sentence sharing
 * most words with the question, else that sentence without its final stop; offsets in CODE POINTS.
 * [[hf:array]] in the question answers a one-element list (top_k form).
 */
export const answer: HfTaskHandler = {
  task: 'answer',
  models: ['deepset/roberta-base-squad2', 'distilbert/distilbert-base-cased-distilled-squad'],
  handle({ inputs }) {
    const { question, context } = (inputs ?? {}) as { question?: unknown; context?: unknown };
    if (typeof question !== 'string' || typeof context !== 'string') return invalid('inputs must hold question and context');
    const asked = words(question);
    let best = { start: 0, end: context.length, overlap: -1 };
    for (const match of context.matchAll(/[^.!?]+[.!?]*/g)) {
      const overlap = [...words(match[0])].filter((word) => asked.has(word)).length;
      if (overlap > best.overlap) best = { start: match.index, end: match.index + match[0].length, overlap };
    }
    const sentence = context.slice(best.start, best.end);
    const number = /\d[\d,.]*\d|\d/.exec(sentence);
    const [start, end] = number
      ? [best.start + number.index, best.start + number.index + number[0].length]
      : [best.start + (sentence.length - sentence.trimStart().length), best.start + sentence.trimEnd().replace(/[.!?]+$/, '').length];
    const span = { answer: context.slice(start, end), score: 0.87, start: codePoints(context, start), end: codePoints(context, end) };
    return directive(question, 'hf') === 'array' ? ok([span]) : ok(span);
  },
};
