import { describe, expect, it } from 'vitest';
import { bucketScore, localSentimentOf, readSentiment, SENTIMENT_BUCKETS } from '../src/tasks/sentiment/local-sentiment';

const THRESHOLD = 0.8; // sentiment's defaultCascadeThreshold

describe('local sentiment: a score that is the measured chance of being right (issue 14)', () => {
  it('escalates contrast and negation instead of answering them confidently', () => {
    for (const text of [
      'The screen is gorgeous, but the battery dies by noon and support never answered.',
      'The hotel was lovely, but the noise from the bar kept us up all night.',
      'I would not buy this again.',
      'The dashboard is not intuitive at all.',
    ]) {
      expect(localSentimentOf(text).score, text).toBeLessThan(THRESHOLD);
    }
    expect(readSentiment('I like the product but the billing system is a nightmare.')).toMatchObject({ bucket: 'contrast', label: 'negative' });
  });

  it('reads sarcasm as a complaint', () => {
    for (const text of ['Great, my order is lost again. Well done.', 'Oh great, another hidden fee on my statement.', 'Thanks for nothing, the replacement is broken too.']) {
      expect(readSentiment(text), text).toMatchObject({ bucket: 'sarcasm', label: 'negative' });
    }
    // Praise without a complaint is not sarcasm.
    expect(readSentiment('Great, thank you so much for the quick help!').bucket).not.toBe('sarcasm');
    expect(readSentiment('Great, it works perfectly again!').bucket).not.toBe('sarcasm');
    // "love how" is ironic only around a complaint (the playground's own example was read as sarcasm).
    expect(readSentiment('I love how easy this was!')).toMatchObject({ label: 'positive' });
    expect(readSentiment('I love how easy this was!').bucket).not.toBe('sarcasm');
    expect(readSentiment('I love how my parcel is lost again.')).toMatchObject({ bucket: 'sarcasm', label: 'negative' });
  });

  it('keeps a plain verdict local', () => {
    expect(localSentimentOf('I love this product, it is wonderful!')).toEqual({ label: 'positive', score: bucketScore('clear') });
    expect(localSentimentOf('Worst customer service I have ever dealt with, awful.').label).toBe('negative');
    expect(bucketScore('clear')).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('scores each bucket by its Laplace-smoothed calibration accuracy', () => {
    for (const [bucket, { right, answers }] of Object.entries(SENTIMENT_BUCKETS)) {
      expect(right).toBeLessThanOrEqual(answers);
      expect(bucketScore(bucket as keyof typeof SENTIMENT_BUCKETS)).toBeCloseTo((right + 1) / (answers + 2), 4);
    }
    expect(bucketScore('contrast')).toBeLessThan(THRESHOLD);
    expect(bucketScore('negation')).toBeLessThan(THRESHOLD);
  });
});
