import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { localEmbedder, type LocalEmbedder } from '../src/providers/local/semantic';
import { CONTRAST_FACTOR, contrastCue, lowerContrasts, lowerForContrast } from '../src/tasks/similarity/contrast';
import { LOCAL_SIMILARITY_WARNING } from '../src/tasks/similarity/task';
import { call, createTenant, json, uniqueText } from './support/api';
import fixture from './fixtures/semantic-pairs.json';

// Local similarity's contrast detector (issue 14, src/tasks/similarity/contrast.ts). The examples
// are the hard set's dev rows (eval/tasks-hard/similarity.mjs, even indexes) or written here; its
// test rows are for reporting only and are not used.

let embedder: LocalEmbedder;
beforeAll(async () => {
  embedder = await localEmbedder(env);
});
const cue = (source: string, target: string) => contrastCue(source, target, embedder);

describe('contrast detector: fires on the same words with the meaning turned', () => {
  it('a WordNet antonym swapped in (direct, via a synonym, or an adjective satellite)', () => {
    expect(cue('My card was declined.', 'My card was accepted.')).toBe('antonym: declined / accepted');
    expect(cue('The shop refused my return.', 'The shop accepted my return.')).toBe('antonym: refused / accepted');
    expect(cue('The hotel room was dirty.', 'The hotel room was pristine.')).toBe('antonym: dirty / pristine');
    expect(cue('He arrived before me.', 'He arrived after me.')).toBe('antonym: before / after'); // the closed-class list
  });

  it('a negation, cessation or continuation on one side only', () => {
    expect(cue('I am allergic to nuts.', 'I am not allergic to nuts.')).toBe('negation on one side');
    expect(cue('The hotel allows pets.', "The hotel doesn't allow pets.")).toBe('negation on one side');
    expect(cue('The app keeps crashing.', 'The app stopped crashing.')).toBe('negation on one side');
    expect(cue('The plan renews every month.', 'The plan no longer renews every month.')).toBe('negation on one side');
  });

  it('a sentiment word on one side only, by wink’s lexicon', () => {
    expect(cue('The doctor was very kind.', 'The doctor was very rude.')).toBe('sentiment: kind / rude');
    expect(cue('The elevator is broken.', 'The elevator is working.')).toMatch(/^sentiment: /);
  });

  it('other numbers, in words or digits', () => {
    expect(cue('The parcel came in two boxes.', 'The parcel came in three boxes.')).toBe('other numbers');
    expect(cue('I called support 3 times.', 'I called support 5 times.')).toBe('other numbers');
  });
});

describe('contrast detector: does not fire on paraphrases', () => {
  it('the same statement in the same or other words', () => {
    expect(cue('My parcel has not arrived', 'The parcel never arrived')).toBeUndefined(); // negated on both sides
    expect(cue('The hotel room was dirty.', 'The hotel room was not clean.')).toBeUndefined(); // two oppositions cancel
    expect(cue('The meeting starts at nine.', 'The meeting starts at 9.')).toBeUndefined();
    expect(cue('Where is my parcel?', 'Where is my package?')).toBeUndefined();
    expect(cue('My card was declined.', 'The payment did not go through.')).toBeUndefined(); // shares no content word
  });

  it("none of the hard set's dev paraphrases and none of the semantic fixture's pairs", async () => {
    // @ts-expect-error plain ESM data files of the evaluation, without type declarations
    const hard: { cases: { request: { source: string; targets: string[] }; expected: number; split: string }[] } = await import('../eval/tasks-hard/similarity.mjs');
    const dev = hard.cases.filter((c) => c.split === 'dev');
    const fired = dev.filter(({ request, expected }) => cue(request.source, request.targets[expected]!) !== undefined).map((c) => c.request.source);
    // Measured (eval/similarity-contrast.mjs): one of 76, "youngest" against "nobody … younger".
    expect(fired).toEqual(['She is the youngest in the class.']);
    const pairs = fixture.pairs as [string, string][];
    expect(pairs.filter(([a, b]) => cue(a, b) ?? cue(b, a))).toEqual([]);
  });

  it('unrelated texts and texts with no known word', () => {
    expect(cue('How do I reset my password?', 'The coffee is too cold.')).toBeUndefined();
    expect(cue('', 'not')).toBeUndefined();
    expect(cue('12345', '67890')).toBeUndefined();
  });
});

describe('lowering', () => {
  it('shrinks a contrast toward −1 by CONTRAST_FACTOR, in range and in order', () => {
    expect(CONTRAST_FACTOR).toBe(0.5);
    expect(lowerForContrast(1)).toBe(0);
    expect(lowerForContrast(0.8)).toBe(-0.1);
    expect(lowerForContrast(-1)).toBe(-1);
    expect(lowerForContrast(0.6)).toBeGreaterThan(lowerForContrast(0.5));
  });

  it('lowers only the targets that read as contrasts', () => {
    const scores = lowerContrasts('My card was declined.', ['The payment did not go through.', 'My card was accepted.'], [0.43, 0.9], embedder);
    expect(scores).toEqual([0.43, lowerForContrast(0.9)]);
  });

  it('reads sentences and short passages only: past 128 pieces a text is scored as the vectors say', () => {
    // ~100 words of the same sentence, then the swap: a contrast the detector would find if it read it all.
    const long = (ending: string) => `${'The delivery arrived on the second floor of the building. '.repeat(12)}My card was ${ending}.`;
    expect(cue('My card was declined.', 'My card was accepted.')).toBeDefined();
    expect(cue(long('declined'), long('accepted'))).toBeUndefined();
    expect(lowerContrasts('My card was declined.', [long('accepted'), 'My card was accepted.'], [0.9, 0.9], embedder)).toEqual([0.9, lowerForContrast(0.9)]);
  });
});

describe('POST /v1/similarity on the local tier', () => {
  it('ranks a dev-split paraphrase above its same-words contrast, and says the tier is still lexical', async () => {
    const tenant = await createTenant({ providerOrder: { similarity: ['local'] } });
    const request = { source: 'The doctor was very kind.', targets: ['The doctor was very rude.', 'The physician treated me with real compassion.'] };
    const response = await call('/v1/similarity', { headers: { ...tenant.auth, 'Cache-Control': 'no-cache' }, body: request });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.provider).toBe('local');
    const [contrast, paraphrase] = body.results.map((result: { score: number }) => result.score);
    expect(paraphrase).toBeGreaterThan(contrast);
    expect(contrast).toBeLessThanOrEqual(0); // a detected contrast never scores above 0
    expect(body.warnings).toEqual([LOCAL_SIMILARITY_WARNING]);
  });

  it('the warning is absent when a neural provider answers', async () => {
    const tenant = await createTenant();
    const body = await json(await call('/v1/similarity', { headers: tenant.auth, body: { source: uniqueText('My card was declined.'), targets: ['My card was accepted.'] } }));
    expect(body.provider).toBe('workers-ai');
    expect(body.warnings).toBeUndefined();
  });
});
