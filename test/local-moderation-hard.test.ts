import { describe, expect, it } from 'vitest';
import { MODERATION_BUCKETS, moderationBucketScore, type ModerationBucket } from '../src/tasks/moderate/confidence';
import { moderateLocally, readModeration } from '../src/tasks/moderate/local-moderation';

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

describe('local moderation confidence: the chance the verdict is right (issue 14)', () => {
  const confidence = (text: string) => moderateLocally(text).confidence!;

  it('ships the counts of the calibration data: the hard set\'s dev split plus the ordinary set, never its test split', async () => {
    // @ts-expect-error plain ESM data files of the evaluation, without type declarations
    const hard: { cases: { request: { text: string }; expected: boolean; split: string }[] } = await import('../eval/tasks-hard/moderate.mjs');
    // @ts-expect-error as above
    const ordinary: { cases: { request: { text: string }; expected: { flagged: boolean } }[] } = await import('../eval/tasks/moderate.mjs');
    const rows = [
      ...hard.cases.filter((c) => c.split === 'dev').map((c) => ({ text: c.request.text, flagged: c.expected })),
      ...ordinary.cases.map((c) => ({ text: c.request.text, flagged: c.expected.flagged })),
    ];
    const counted: Record<string, { right: number; answers: number }> = {};
    for (const { text, flagged } of rows) {
      const { result, bucket } = readModeration(text);
      const entry = (counted[bucket] ??= { right: 0, answers: 0 });
      entry.answers++;
      if (result.flagged === flagged) entry.right++;
    }
    expect(counted).toEqual(MODERATION_BUCKETS);
  });

  it('is the Laplace-smoothed accuracy of the evidence bucket, measured on the dev split', () => {
    for (const [bucket, { right, answers }] of Object.entries(MODERATION_BUCKETS)) {
      expect(moderationBucketScore(bucket as ModerationBucket)).toBeCloseTo((right + 1) / (answers + 2), 3);
      expect(right).toBeLessThanOrEqual(answers);
    }
  });

  it('is low when an unflagged text still aims menace or a prediction at someone, so the cascade escalates it', () => {
    for (const text of [
      'I have your home address now. See you soon.',
      'Enjoy your shift while you still can.',
      'This is your last warning. Next time I will not be so polite.',
      'I have decided tonight is my last night.',
    ]) {
      expect(readModeration(text).result.flagged, text).toBe(false);
      expect(readModeration(text).bucket, text).toBe('not flagged, aimed at someone');
      expect(confidence(text), text).toBeLessThan(0.8);
    }
  });

  it('stays high for what the lexicon flags, for plain text and for ordinary text with a trigger word', () => {
    expect(confidence('I will stab whoever packed this box.')).toBeGreaterThan(0.9);
    expect(confidence('Version 2.4.1 fixed the crash on startup.')).toBeGreaterThanOrEqual(0.8);
    expect(readModeration('kill the process and restart the server').bucket).toBe('not flagged, trigger word');
    expect(confidence('kill the process and restart the server')).toBeGreaterThanOrEqual(0.8);
    expect(confidence('This bloody film was far too long.')).toBeGreaterThanOrEqual(0.8);
  });

  it('reads cues per sentence, and the lexicon\'s folding applies (masking, case)', () => {
    // "you" in one sentence and "dead" in another do not make a threat.
    expect(readModeration('Thank you. The battery is dead again.').bucket).toBe('not flagged, trigger word');
    expect(readModeration('ENJOY YOUR SH1FT WHILE YOU STILL CAN').bucket).toBe('not flagged, aimed at someone');
  });
});

describe('veiled abuse with a fixed shape, from the dev calibration rows (issue 14)', () => {
  it('flags the shapes', () => {
    expect(categories('Cancel my order again and you will find out what I am capable of.')).toContain('threat');
    expect(categories('Someone ought to teach that receptionist a lesson she will not forget.')).toContain('threat');
    expect(categories('My cousin knows people who deal with problems like you.')).toContain('threat');
    expect(categories('People like you should be wiped off the map.')).toContain('threat');
    expect(categories('The world would be a better place without you in it.')).toContain('harassment');
    expect(categories('Do everyone a favour and disappear for good.')).toContain('harassment');
    expect(categories('Your religion is a cancer on this country.')).toContain('hate');
    expect(categories('Those people breed like rabbits and take our jobs.')).toContain('hate');
    expect(categories('Women are only good for cooking and cleaning.')).toContain('hate');
    expect(categories('I keep thinking everyone would be better off if I was gone.')).toContain('self_harm');
    expect(categories('I have been stockpiling my sleeping pills for weeks.')).toContain('self_harm');
  });

  it('leaves the same words in ordinary text alone', () => {
    for (const text of [
      'Let me teach you a lesson on pivot tables.',
      'If the merger fails, the debt will be wiped out.',
      'Do us a favour and leave a review.',
      'Pharmacies are stockpiling tablets ahead of the shortage.',
      'Give me the project and you will see what I am capable of.',
      'We deal with problems like yours every day.',
      'The world would be a better place with more libraries.',
      'My cancer treatment is going well.',
      'The cancer charity run raised three thousand pounds.',
    ]) {
      expect(moderateLocally(text).flagged, text).toBe(false);
    }
  });
});

describe('an unflagged text that addresses the reader escalates (issue 14)', () => {
  const confidence = (text: string) => moderateLocally(text).confidence!;

  it('puts insults without a listed word, said to "you", below the threshold', () => {
    for (const text of ['You are the reason your parents cry at night.', 'Your whole family is a joke and everyone in town knows it.']) {
      expect(readModeration(text).result.flagged, text).toBe(false);
      expect(readModeration(text).bucket, text).toBe('not flagged, speaks to the reader');
      expect(confidence(text), text).toBeLessThan(0.8);
    }
  });

  it('does so for ordinary text said to "you" too (the price: a right answer paid for twice), but not for text about a third person', () => {
    expect(readModeration('Your invoice is attached, let us know if anything is wrong.').bucket).toBe('not flagged, speaks to the reader');
    expect(readModeration('The driver was a woman and she was very polite.').bucket).toBe('not flagged, names someone');
    expect(confidence('The driver was a woman and she was very polite.')).toBeGreaterThanOrEqual(0.8);
    expect(readModeration('Version 2.4.1 fixed the crash on startup.').bucket).toBe('not flagged, nothing');
  });

  it('ranks after the stronger cues: menace at someone, then a menace word aimed at no one', () => {
    expect(readModeration('I will be waiting by your car after work.').bucket).toBe('not flagged, aimed at someone');
    // "you" in the first sentence, "dead" in the second: a trigger word, not an address with menace.
    expect(readModeration('Thank you. The battery is dead again.').bucket).toBe('not flagged, trigger word');
    // Masked and shouted, the address still counts (the lexicon's folding applies).
    expect(readModeration('Y0UR WHOLE FAMILY IS A JOKE').bucket).toBe('not flagged, speaks to the reader');
  });
});
