import { describe, expect, it } from 'vitest';
import { fromLabelScores, fromPolarity } from '../src/tasks/sentiment/providers';

describe('sentiment label mapping', () => {
  it('reads SST-2 labels, and calls a near tie neutral', () => {
    expect(fromLabelScores([{ label: 'POSITIVE', score: 0.98 }, { label: 'NEGATIVE', score: 0.02 }])).toEqual({ label: 'positive', score: 0.98 });
    expect(fromLabelScores([{ label: 'NEGATIVE', score: 0.9 }])).toEqual({ label: 'negative', score: 0.9 });
    expect(fromLabelScores([{ label: 'POSITIVE', score: 0.55 }, { label: 'NEGATIVE', score: 0.45 }]).label).toBe('neutral');
  });

  it('reads three-class and LABEL_n models', () => {
    expect(fromLabelScores([{ label: 'neutral', score: 0.7 }, { label: 'positive', score: 0.2 }, { label: 'negative', score: 0.1 }])).toEqual({ label: 'neutral', score: 0.7 });
    expect(fromLabelScores([{ label: 'LABEL_0', score: 0.8 }, { label: 'LABEL_1', score: 0.1 }, { label: 'LABEL_2', score: 0.1 }]).label).toBe('negative');
  });

  it('refuses labels it cannot read', () => {
    expect(() => fromLabelScores([{ label: 'joy', score: 1 }])).toThrow(/no sentiment labels/);
  });

  it('maps lexicon polarity to a label and confidence', () => {
    expect(fromPolarity(0)).toEqual({ label: 'neutral', score: 1 });
    expect(fromPolarity(0.6)).toEqual({ label: 'positive', score: 0.8 });
    expect(fromPolarity(-1)).toEqual({ label: 'negative', score: 1 });
  });
});
