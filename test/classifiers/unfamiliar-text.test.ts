import { describe, expect, it } from 'vitest';
import { CLASSIFIER_UNFAMILIAR_TEXT, UNFAMILIAR_TEXT_SCORE_CAP } from '../../src/tasks/classify/trained';
import { createTenant, json } from '../support/api';
import { classifyWith, SUPPORT_EXAMPLES, trainedClassifier } from './support';

// A trained classifier on local features asked about text none of whose words its examples hold
// (gibberish, another language than theirs) scored it on character grams and biases alone, and a
// model trained on well-separated examples made that 0.94–0.98 (black-box pass, 2026-12-03): a
// confident answer with no evidence behind it, kept local and cached. Now it is capped below any
// cascade threshold and named in a warning; a text the examples share a word with is untouched.
const unfamiliar = (body: { warnings?: { code: string; message: string }[] }) => body.warnings?.find((warning) => warning.code === CLASSIFIER_UNFAMILIAR_TEXT);

describe('a trained classifier asked about text unlike its examples', () => {
  it('caps the score below the cascade threshold and says why, naming only those texts', async () => {
    const tenant = await createTenant({ providerOrder: { classify: ['local'] } });
    const classifier = await trainedClassifier(tenant.auth);
    const texts = ['asdfgh qwerty zxcvb', 'Où est mon colis ? Il devait arriver mardi.', 'my parcel never arrived and the tracking is stuck'];
    const response = await classifyWith(tenant.auth, classifier.id, texts);
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.results[0].labels[0].score).toBeLessThanOrEqual(UNFAMILIAR_TEXT_SCORE_CAP);
    expect(body.results[1].labels[0].score).toBeLessThanOrEqual(UNFAMILIAR_TEXT_SCORE_CAP);
    expect(body.results[2].labels[0]).toMatchObject({ label: 'shipping' });
    expect(body.results[2].labels[0].score).toBeGreaterThan(UNFAMILIAR_TEXT_SCORE_CAP);
    expect(unfamiliar(body)?.message).toMatch(/^text\[0\], text\[1\] are unlike this classifier's training examples: no word of them appears in them/);
    expect(unfamiliar(body)?.message).not.toContain('text[2]');
    // The same answer from the cache carries the same warning.
    const again = await json(await classifyWith(tenant.auth, classifier.id, texts));
    expect(again.cached).toBe(true);
    expect(unfamiliar(again)?.message).toBe(unfamiliar(body)?.message);
  });

  it('leaves every text of its own examples alone', async () => {
    const tenant = await createTenant({ providerOrder: { classify: ['local'] } });
    const classifier = await trainedClassifier(tenant.auth);
    const body = await json(await classifyWith(tenant.auth, classifier.id, SUPPORT_EXAMPLES.map((example) => example.text)));
    expect(unfamiliar(body)).toBeUndefined();
  });
});
