import fc from 'fast-check';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { describe, expect, it } from 'vitest';
import { SLOW_PIECE_UNITS, SLOW_TOKEN_UNITS, isCheapToken, mostUnitsOf, shareUnits, windowText, windowUnits, winkWindow, workUnits } from '../src/providers/local/bounds';
import { readBounded, tokensWithAt, typesOfTokens, winkPipeline } from '../src/providers/local/wink';
import { shareWindowBudget, unitsRead, type LocalReadShare } from '../src/tasks/local-window';
import { countWords } from '../src/tasks/answer/sentences';
import { sentimentTask } from '../src/tasks/sentiment/task';
import { entitiesTask } from '../src/tasks/entities/task';
import { rerankTask } from '../src/tasks/rerank/task';
import { summarizeTask } from '../src/tasks/summarize/task';
import { moderateTask } from '../src/tasks/moderate/task';
import { MAX_TEXT_CHARS } from '../src/tasks/text-input';
import { DEFAULT_SUMMARY_WORDS, MAX_SUMMARIZE_CHARS } from '../src/tasks/summarize/schema';
import { MAX_MEANING_TEXT_CHARS } from '../src/tasks/embed/limits';
import { LOCAL_SENTIMENT_REQUEST_UNITS, LOCAL_SENTIMENT_UNITS } from '../src/tasks/sentiment/local-sentiment';
import { LOCAL_ENTITY_REQUEST_UNITS, LOCAL_ENTITY_UNITS } from '../src/tasks/entities/local-recognizers';
import { LOCAL_PII_REQUEST_UNITS, LOCAL_PII_UNITS } from '../src/tasks/moderate/pii';
import { LOCAL_CONTEXT_UNITS, LOCAL_QUESTION_UNITS } from '../src/tasks/answer/local-answer';
import { LOCAL_SUMMARY_REQUEST_UNITS, LOCAL_SUMMARY_UNITS } from '../src/tasks/summarize/extractive';
import { LOCAL_RERANK_REQUEST_UNITS, LOCAL_RERANK_UNITS } from '../src/tasks/rerank/local-rerank';
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

describe('the request budget: texts share it when their windows together exceed it', () => {
  it('shareUnits gives every text at least an equal share, short ones whole, and the most that fits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 101 }), fc.integer({ min: 0, max: 60_000 }), (costs, budget) => {
        const total = costs.reduce((sum, cost) => sum + cost, 0);
        const share = shareUnits(costs, budget);
        const spent = (each: number) => costs.reduce((sum, cost) => sum + Math.min(cost, each), 0);
        if (total <= budget) {
          expect(share).toBeUndefined();
          return;
        }
        expect(share).toBeDefined();
        // Within the budget, and not one unit more would be: the share is the largest that fits.
        expect(spent(share!)).toBeLessThanOrEqual(budget);
        expect(spent(share! + 1)).toBeGreaterThan(budget);
        // Fair: no text gets less than an equal part of the budget (or its whole cost, if smaller).
        expect(share!).toBeGreaterThanOrEqual(Math.floor(budget / costs.length));
      }),
      { numRuns: 2_000 },
    );
  });

  it('the cheap bound only skips counting: the share is the one counted from every window, and the bound is never below a cost', () => {
    const shape = fc.constantFrom('I love it. ', '$1 ', '1a ', 'http://a.co', 'a@b.co ', '#', 'well-known ', '\ufeff');
    fc.assert(
      fc.property(fc.array(fc.tuple(shape, fc.integer({ min: 0, max: 2_500 })), { minLength: 1, maxLength: 60 }), fc.integer({ min: 100, max: 2_000 }), fc.integer({ min: 0, max: 40_000 }), (specs, window, budget) => {
        const texts = specs.map(([unit, chars]) => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars));
        for (const text of texts) {
          expect(windowUnits(text, window)).toBeLessThanOrEqual(Math.min(window, mostUnitsOf(text)));
          // Moderation's bound (moderate/task.ts): what its e-mail search sends wink.
          expect(tokensWithAt(text, LOCAL_PII_UNITS).units).toBeLessThanOrEqual(text.includes('@') ? Math.min(LOCAL_PII_UNITS, mostUnitsOf(text)) : 0);
        }
        const counted = shareUnits(texts.map((text) => windowUnits(text, window)), budget);
        expect(shareWindowBudget(texts, window, budget)).toEqual(counted === undefined ? {} : { local_read_units: counted });
      }),
      { numRuns: 300 },
    );
  });

  it('ordinary requests the windows read whole fit their task’s budget: answered exactly as before', () => {
    // Each task's budget holds at least these batches of ordinary English at the longest size its
    // window reads (what a batch of a support inbox, a page of search results … is).
    const texts = (count: number, length: number) => Array.from({ length: count }, (_, index) => `${index} ${fill(ORDINARY, length)}`.slice(0, length));
    // Sentiment: the largest legal batch, 52 texts of 20,000 characters (the 1 MiB body full).
    expect(sentimentTask.options({ text: texts(52, MAX_TEXT_CHARS) })).toEqual({});
    // Entities: 25 texts of 2,000 characters (all 100 share: ~300 units of their ~560 each).
    expect(entitiesTask.options({ text: texts(25, MAX_ENTITIES_TEXT_CHARS) })).toEqual({});
    expect(entitiesTask.options({ text: texts(100, MAX_ENTITIES_TEXT_CHARS) }).local_read_units).toBeLessThan(LOCAL_ENTITY_UNITS);
    // Moderation: the largest legal batch, 25 texts of 8,000 characters, an e-mail address in each sentence pair.
    expect(moderateTask.options({ text: texts(25, MAX_MODERATE_CHARS) })).toEqual({});
    // Rerank: a query and 39 documents of any length (each read for at most its 440-unit window).
    expect(rerankTask.options({ query: 'refund of the shipping fee', documents: texts(39, MAX_MEANING_TEXT_CHARS) })).toEqual({});
    // A full request: the short query is read whole, the 100 documents share the rest.
    const rerankShare = rerankTask.options({ query: 'refund of the shipping fee', documents: texts(100, MAX_MEANING_TEXT_CHARS) }).local_read_units!;
    expect(rerankShare).toBeGreaterThanOrEqual(Math.floor(LOCAL_RERANK_REQUEST_UNITS / 101));
    expect(rerankShare).toBeLessThan(LOCAL_RERANK_UNITS);
    // Summarize: 4 texts of 20,000 characters (a text within max_words costs nothing: returned whole).
    expect(summarizeTask.options({ text: texts(4, MAX_SUMMARIZE_CHARS) })).toEqual({ max_words: DEFAULT_SUMMARY_WORDS });
    expect(summarizeTask.options({ text: [...texts(9, 300), ...texts(1, MAX_SUMMARIZE_CHARS)], max_words: 100 })).toEqual({ max_words: 100 });
    // And none of the budgets is smaller than one text's window: a single text is never shared.
    expect(Math.min(LOCAL_SENTIMENT_REQUEST_UNITS, LOCAL_ENTITY_REQUEST_UNITS, LOCAL_PII_REQUEST_UNITS, LOCAL_SUMMARY_REQUEST_UNITS, LOCAL_RERANK_REQUEST_UNITS)).toBeGreaterThan(
      Math.max(LOCAL_SENTIMENT_UNITS, LOCAL_ENTITY_UNITS, LOCAL_SUMMARY_UNITS, 2 * LOCAL_RERANK_UNITS),
    );
  });

  it('moderation’s e-mail search reads only the tokens holding an @, and finds what reading the whole window finds', () => {
    const { its } = winkPipeline('tokens');
    const part = fc.constantFrom('a@b', 'jo.doe@example.com', 'help@example.com.', '(x@y.co)', '@', '@@', 'a@b.c@d.e', '$1', 'word', 'Call', ' ', ' ', '\u00a0', '\u3000', '\n', '\t', '.', ',', '😀', '\ufeff', 'b@'.repeat(40), 'a'.repeat(70));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 120 }), fc.integer({ min: 1, max: 400 }), (parts, units) => {
        const text = parts.join('');
        const emails = (types: string[]) => types.filter((type) => type === 'email').length;
        const taken = tokensWithAt(text, units);
        expect(emails(typesOfTokens(taken.tokens))).toBe(emails(readBounded(text, units, 'tokens').tokens().out(its.type) as string[]));
        expect(taken.units).toBe(taken.tokens.reduce((sum, token) => sum + workUnits(token), 0));
        // A share of them: a prefix of the tokens, within its units, reaching no further than they do.
        const share = Math.floor(taken.units / 2);
        const part = tokensWithAt(text, units, share);
        expect(part.units).toBeLessThanOrEqual(share);
        expect(taken.tokens.slice(0, part.tokens.length)).toEqual(part.tokens);
        expect(part.read).toBeLessThanOrEqual(taken.read);
        // The first token not read starts where the part read ends.
        if (part.tokens.length < taken.tokens.length) expect(text.startsWith(taken.tokens[part.tokens.length]!, part.read)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('holds for the largest legal request of any text: wink reads at most the task’s budget in all', () => {
    // The largest legal batches (the 1 MiB body full), of one generated text shape each — the
    // shapes that cost wink most per character, ordinary English, and mixes of them.
    const BODY_BYTES = 1024 * 1024 - 8 * 1024;
    const unit = fc.oneof(fc.constantFrom('$1 ', '1a ', 'a@b ', 'a@b.co ', 'http://', '!?', '#', 'a,', 'C++ ', ORDINARY, PROSE), fc.string({ unit: fc.constantFrom('$', '1', 'a', '@', ' ', '.', ',', '#', '\u00a0'), minLength: 1, maxLength: 8 }));
    const batch = (shape: string, maxChars: number, maxItems: number) => {
      const text = fill(shape, maxChars);
      const items = Math.max(1, Math.min(maxItems, Math.floor(BODY_BYTES / (new TextEncoder().encode(JSON.stringify(text)).length + 1))));
      return Array.from({ length: items }, (_, index) => `${index} ${text}`.slice(0, maxChars));
    };
    const read = (texts: string[], window: number, share: LocalReadShare) => texts.reduce((sum, text) => sum + windowUnits(text, unitsRead(window, share)), 0);
    fc.assert(
      fc.property(unit, fc.constantFrom(1, 0.4, 0.1), (shape, size) => {
        const length = (max: number) => Math.max(1, Math.round(max * size));
        const sentiment = batch(shape, length(MAX_TEXT_CHARS), 100);
        expect(read(sentiment, LOCAL_SENTIMENT_UNITS, sentimentTask.options({ text: sentiment }))).toBeLessThanOrEqual(LOCAL_SENTIMENT_REQUEST_UNITS);
        const entities = batch(shape, length(MAX_ENTITIES_TEXT_CHARS), 100);
        expect(read(entities, LOCAL_ENTITY_UNITS, entitiesTask.options({ text: entities }))).toBeLessThanOrEqual(LOCAL_ENTITY_REQUEST_UNITS);
        const documents = batch(shape, length(MAX_MEANING_TEXT_CHARS), 100);
        const query = documents[0]!.slice(0, 500);
        expect(read([query, ...documents], LOCAL_RERANK_UNITS, rerankTask.options({ query, documents }))).toBeLessThanOrEqual(LOCAL_RERANK_REQUEST_UNITS);
        const summaries = batch(shape, length(MAX_SUMMARIZE_CHARS), 10);
        const summarizeOptions = summarizeTask.options({ text: summaries, max_words: 60 });
        expect(read(summaries.filter((text) => countWords(text) > 60), LOCAL_SUMMARY_UNITS, summarizeOptions)).toBeLessThanOrEqual(LOCAL_SUMMARY_REQUEST_UNITS);
        // Moderation's wink reads only the tokens holding an @ (tokensWithAt).
        const messages = batch(shape, length(MAX_MODERATE_CHARS), 25);
        const { local_read_units } = moderateTask.options({ text: messages });
        expect(messages.reduce((sum, text) => sum + tokensWithAt(text, LOCAL_PII_UNITS, local_read_units).units, 0)).toBeLessThanOrEqual(LOCAL_PII_REQUEST_UNITS);
      }),
      { numRuns: 40 },
    );
  });
});

