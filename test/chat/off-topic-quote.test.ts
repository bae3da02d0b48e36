import { describe, expect, it } from 'vitest';
import { NOTHING_TO_QUOTE, QUOTING_INTRO, quotedAnswer, SHARED_WORD_MIN_RANK, sharesWordsWithQuestion } from '../../src/providers/local/chat-quote';

const sources = [
  { index: 1, title: 'Refund policy', text: 'Refunds are paid back to the original card within 5 business days.' },
  { index: 2, title: 'Shipping', text: 'Standard shipping takes 3 to 5 days; express arrives the next day.' },
];
const ask = (question: string) => quotedAnswer({ messages: [], max_tokens: 64, question, sources });

describe('offline chat refuses instead of quoting an unrelated passage (issue 14)', () => {
  it('refuses an off-topic question', () => {
    expect(ask("what's the weather in Paris?")).toBe(NOTHING_TO_QUOTE);
    expect(ask('Who won the football match last night?')).toBe(NOTHING_TO_QUOTE);
  });

  it('still quotes when the question shares a word with a passage, inflections included', () => {
    expect(ask('How long does a refund take?').startsWith(QUOTING_INTRO)).toBe(true);
    expect(ask('When will my order be shipped?').startsWith(QUOTING_INTRO)).toBe(true);
    expect(sharesWordsWithQuestion(sources, 'and then?')).toBe(true);
  });

  it('with frequency ranks, a shared everyday word is not enough', () => {
    const withNight = [{ index: 1, title: 'Delivery', text: 'Orders placed last night ship within 5 business days.' }];
    const ranks: Record<string, number> = { last: 150, night: 400, ship: 1200, won: 300, match: 700 };
    const rank = (word: string) => ranks[word];
    expect(SHARED_WORD_MIN_RANK).toBeGreaterThan(400);
    expect(sharesWordsWithQuestion(withNight, 'Who won the match last night?', rank)).toBe(false);
    expect(sharesWordsWithQuestion(withNight, 'Who won the match last night?')).toBe(true);
    expect(sharesWordsWithQuestion(withNight, 'When will it ship?', rank)).toBe(true);
    expect(quotedAnswer({ messages: [], max_tokens: 64, question: 'Who won the match last night?', sources: withNight }, rank)).toBe(NOTHING_TO_QUOTE);
  });
});
