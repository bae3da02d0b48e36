import { describe, expect, it } from 'vitest';
import { NOTHING_TO_QUOTE, QUOTING_INTRO, quotedAnswer, sharesWordsWithQuestion } from '../../src/providers/local/chat-quote';

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
});
