import { describe, expect, it } from 'vitest';
import { LOCAL_CORRECTNESS } from '../src/tasks/classify/providers';
import { probabilityTopIsRight, scoresWithTop } from '../src/tasks/classify/scoring';

describe('local classify: the top score is a calibrated probability (issue 14)', () => {
  it('keeps the ranking and the sum of 1 while setting the top score', () => {
    const labels = ['a', 'b', 'c', 'd'];
    const sims = [0.31, 0.12, 0.28, -0.05];
    for (const top of [0.3, 0.55, 0.9]) {
      const scores = scoresWithTop(labels, sims, top);
      expect(scores.map((s) => s.label)).toEqual(['a', 'c', 'b', 'd']);
      expect(scores[0]!.score).toBeCloseTo(top, 3);
      expect(scores.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1, 3);
    }
    // A top below 1/labels is clamped just above it, still ranked.
    expect(scoresWithTop(labels, sims, 0.1)[0]).toMatchObject({ label: 'a' });
  });

  it('grows with the margin and falls when the two leading labels are alike', () => {
    const far = () => 0.2;
    const near = () => 0.9;
    const wide = probabilityTopIsRight(LOCAL_CORRECTNESS, [0.5, 0.1, 0.0], far);
    const narrow = probabilityTopIsRight(LOCAL_CORRECTNESS, [0.5, 0.45, 0.0], far);
    expect(wide).toBeGreaterThan(narrow);
    expect(probabilityTopIsRight(LOCAL_CORRECTNESS, [0.5, 0.45, 0.0], near)).toBeLessThan(narrow);
  });
});
