import { describe, expect, it } from 'vitest';
import { moderateLocally } from '../src/tasks/moderate/local-moderation';

const categories = (text: string) => moderateLocally(text).categories.map((c) => c.category);

describe('local moderation without swear words (issue 14)', () => {
  it('flags threats, identity hate, harassment and self-harm phrasing', () => {
    expect(categories('I will stab whoever packed this box.')).toContain('threat');
    expect(categories('One more delay and I will burn the store to the ground.')).toContain('threat');
    expect(categories('Immigrants are vermin and should be sent back.')).toContain('hate');
    expect(categories('Women should not be allowed to manage anyone.')).toContain('hate');
    expect(categories('Nobody would miss you if you disappeared.')).toContain('harassment');
    expect(categories('I want to end it all.')).toContain('self_harm');
    expect(categories('Tonight I am going to take all my pills at once.')).toContain('self_harm');
  });

  it('leaves ordinary text with the same trigger words alone', () => {
    for (const text of [
      'kill the process and restart the server',
      'This bloody film was far too long.',
      'I cut myself shaving this morning.',
      'I want to end my subscription.',
      'The hotline helps people who are thinking about suicide.',
      'There is no point in going on with this plan, let us change it.',
      'Please send the faulty unit back where it came from, the warehouse in Leeds.',
      'Keep the receipt or else we cannot exchange it.',
      'The driver was a woman and she was very polite.',
      'I will destroy the competition at the chess club.',
    ]) {
      expect(moderateLocally(text).flagged, text).toBe(false);
    }
  });
});
