import fc from 'fast-check';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { describe, expect, it } from 'vitest';
import { SLOW_PIECE_UNITS, SLOW_TOKEN_UNITS, isCheapToken, windowText, winkWindow, workUnits } from '../src/providers/local/bounds';
import { LOCAL_SENTIMENT_UNITS } from '../src/tasks/sentiment/local-sentiment';
import { LOCAL_ENTITY_UNITS } from '../src/tasks/entities/local-recognizers';
import { LOCAL_PII_UNITS } from '../src/tasks/moderate/pii';
import { LOCAL_CONTEXT_UNITS, LOCAL_QUESTION_UNITS } from '../src/tasks/answer/local-answer';
import { LOCAL_SUMMARY_UNITS } from '../src/tasks/summarize/extractive';
import { LOCAL_RERANK_UNITS } from '../src/tasks/rerank/local-rerank';
import { MAX_ENTITIES_TEXT_CHARS } from '../src/tasks/entities/schema';
import { MAX_MODERATE_CHARS } from '../src/tasks/moderate/schema';
import { MAX_CONTEXT_CHARS, MAX_QUESTION_CHARS } from '../src/tasks/answer/schema';

// The work units wink's windows count (src/providers/local/bounds.ts, docs/security.md#bounded-work).

/** The ordinary text bench/local-cpu.mjs and test/hostile/bounded-work.test.ts measure with. */
const ORDINARY =
  'The delivery arrived two days late on March 3rd, but the support team was friendly and refunded the $12.50 shipping fee. ' +
  'I would order again, although the packaging could be better! Call me at 10:30 am or mail help@example.com. ';
const PROSE =
  "It was the best of times, it was the worst of times; we're told it costs 12.50 dollars, the 3rd time this year. " +
  "Write to the team's desk at desk@example.org at 10:30, or don't. We were all going direct to Heaven, we were all going direct the other way. ";
const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

describe('work units: the cost model behind every local window', () => {
  it('a window is a prefix of the text, cut at the start of a piece, within its units', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '1', '$', '.', ' ', '#', '\n', '😀', '\u00a0', "'", '\ufeff', 'é', '\u0301'), maxLength: 400 }), fc.integer({ min: 0, max: 300 }), (text, units) => {
        const read = winkWindow(text, units);
        expect(text.startsWith(read)).toBe(true);
        // Never more pieces than units: every piece costs one unit or more.
        expect(windowText(read, units)).toBe(read);
        if (read.length < text.length) expect(winkWindow(text, units + SLOW_TOKEN_UNITS + SLOW_PIECE_UNITS * 64).length).toBeGreaterThan(read.length);
        // No text costs more than 3.5 units a UTF-16 unit (what lets a short text skip the count).
        expect(workUnits(text)).toBeLessThanOrEqual(3.5 * text.length);
        // The window holds at most its units — give or take its last token, which the cut may leave
        // in a shape of its own ("1." of "1.5" is slow where "1.5" is not): at most one slow token more.
        expect(workUnits(read)).toBeLessThanOrEqual(units + SLOW_TOKEN_UNITS + 64 * SLOW_PIECE_UNITS);
      }),
      { numRuns: 300 },
    );
  });

  it('reads an ordinary text of each task’s longest legal size whole, as the windows of pieces did', () => {
    for (const text of [ORDINARY, PROSE]) {
      expect(winkWindow(fill(text, MAX_ENTITIES_TEXT_CHARS), LOCAL_ENTITY_UNITS)).toHaveLength(MAX_ENTITIES_TEXT_CHARS);
      expect(winkWindow(fill(text, MAX_MODERATE_CHARS), LOCAL_PII_UNITS)).toHaveLength(MAX_MODERATE_CHARS);
      expect(winkWindow(fill(text, MAX_CONTEXT_CHARS), LOCAL_CONTEXT_UNITS)).toHaveLength(MAX_CONTEXT_CHARS);
      expect(winkWindow(fill(text, MAX_QUESTION_CHARS), LOCAL_QUESTION_UNITS)).toHaveLength(MAX_QUESTION_CHARS);
    }
    // The windows shorter than the longest text read as much ordinary text as the old windows of
    // 512, 1,500 and 384 pieces (sentiment, summarize, rerank), within a sentence.
    const long = fill(ORDINARY, 20_000);
    for (const [units, pieces] of [[LOCAL_SENTIMENT_UNITS, 512], [LOCAL_SUMMARY_UNITS, 1_500], [LOCAL_RERANK_UNITS, 384]] as const) {
      expect(Math.abs(winkWindow(long, units).length - windowText(long, pieces).length), `${units} units vs ${pieces} pieces`).toBeLessThan(120);
    }
  });

  it('counts a token wink splits the slow way at SLOW_TOKEN_UNITS and SLOW_PIECE_UNITS a piece', () => {
    for (const token of ['$1', '.1', '1a', '#1', '$a', '10%', '1.', '(a', 'a,b', 'well-known', 'qzn\'t', 'www.a.co', 'http://', '!?', 'C++', 'a")']) {
      expect(isCheapToken(token), token).toBe(false);
    }
    for (const token of ['refunded', 'fee.', 'late,', '(see', '"hello', 'word)', '12.50', '1,000', '10:30', '2024-01-05', '3rd,', '21st', "don't", 'We’re', "John's", 'help@example.com.', '日本', '😀', '—']) {
      expect(isCheapToken(token), token).toBe(true);
    }
    // `$1 $1 …` (the slowest shape per piece found) costs SLOW_TOKEN_UNITS + 2 × SLOW_PIECE_UNITS a
    // token: ~80 of them fit the entities window, ~240 characters, where ordinary text is read whole.
    const hostile = winkWindow(fill('$1 ', MAX_ENTITIES_TEXT_CHARS), LOCAL_ENTITY_UNITS);
    expect(hostile).toBe(fill('$1 ', 3 * Math.floor(LOCAL_ENTITY_UNITS / (SLOW_TOKEN_UNITS + 2 * SLOW_PIECE_UNITS))));
  });

  it('counts a token as cheap only where wink-eng-lite-web-model takes it whole or by its cheap helpers', () => {
    // The model's own token patterns (trex.ltc) and punctuation helpers (trex.helpers), as wink-nlp's
    // tokenizer.js applies them: a raw token it knows, or one a category pattern matches, is added
    // whole; one a helper splits into a known or matched part and marks is added in pieces; anything
    // else goes to the recursive tokenizer, the slow way.
    const core = (model as unknown as { core: () => { trex: { ltc: [string, string, number][]; helpers: Record<string, [string, string]> } } }).core();
    const categories = core.trex.ltc.map(([source, flags]) => new RegExp(source, flags));
    const helper = (name: string) => new RegExp(core.trex.helpers[name]![0], core.trex.helpers[name]![1]);
    const [anyWithRP, anyWithLP, LPanyRP] = [helper('anyWithRP'), helper('anyWithLP'), helper('LPanyRP')];
    // A fresh pipeline: its cache holds the model's lexicon and nothing another test added to it.
    const doc = winkNLP(model, []).readDoc('') as unknown as { isLexeme: (text: string) => unknown };
    const whole = (text: string) => Boolean(doc.isLexeme(text)) || categories.some((pattern) => pattern.test(text));
    const takenCheaply = (token: string) => {
      if (whole(token)) return true;
      const right = token.match(anyWithRP);
      if (right) return whole(right[1]!);
      const left = token.match(anyWithLP);
      if (left) return whole(left[2]!);
      const both = token.match(LPanyRP);
      return both ? whole(both[2]!) : false;
    };
    const letters = 'abzAZéü';
    const marks = '.,;:!?)("\'’‘“”[]{}…/-+$#%@_';
    const token = fc.string({ unit: fc.constantFrom(...letters, ...'0159', ...marks), minLength: 2, maxLength: 12 });
    let cheap = 0;
    fc.assert(
      fc.property(token, (text) => {
        if (!isCheapToken(text)) return;
        cheap++;
        expect(takenCheaply(text), JSON.stringify(text)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // The generator reaches the cheap shapes, not only the slow ones.
    expect(cheap).toBeGreaterThan(200);
  });
});
