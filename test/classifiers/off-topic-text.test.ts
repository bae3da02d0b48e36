import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { requestExamples } from '../../src/classifiers/examples-source';
import { train } from '../../src/classifiers/training';
import { insertClassifier, markVersionReady } from '../../src/storage/classifiers';
import { CLASSIFIER_UNFAMILIAR_TEXT, UNFAMILIAR_TEXT_SCORE_CAP } from '../../src/tasks/classify/trained';
import { intents } from '../../eval/classifiers/support-tickets.mjs';
import { createTenant, json } from '../support/api';
import { classifyWith, trainedClassifier } from './support';

// "The weather is lovely today" sent to a support-ticket classifier shares "the", "is", "today"
// with its examples, so the word check let it through and the model answered it confidently. Now
// a text far in meaning from every label's examples is capped and named in the warning, through
// POST /v1/classify; a version stored before the check recorded its centroids answers as it did.
const EXAMPLES = Object.entries(intents).flatMap(([label, texts]) => texts.slice(0, 25).map((text) => ({ text, label })));
const TEXTS = ['The weather is lovely today', 'I just got back from a long walk by the river', 'I was charged twice for my subscription this month'];
const unfamiliar = (body: { warnings?: { code: string; message: string }[] }) => body.warnings?.find((warning) => warning.code === CLASSIFIER_UNFAMILIAR_TEXT);

describe('a trained classifier asked about off-topic text that shares common words with its examples', () => {
  it('caps it below the cascade threshold and names it, leaving the ticket alone', async () => {
    const tenant = await createTenant({ providerOrder: { classify: ['local'] } });
    const classifier = await trainedClassifier(tenant.auth, EXAMPLES);
    const response = await classifyWith(tenant.auth, classifier.id, TEXTS);
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.provider).toBe('local');
    expect(body.results[0].labels[0].score).toBeLessThanOrEqual(UNFAMILIAR_TEXT_SCORE_CAP);
    expect(body.results[1].labels[0].score).toBeLessThanOrEqual(UNFAMILIAR_TEXT_SCORE_CAP);
    expect(body.results[2].labels[0].label).toBe('billing');
    expect(body.results[2].labels[0].score).toBeGreaterThan(0.5);
    expect(unfamiliar(body)?.message).toMatch(/^text\[0\], text\[1\] are unlike this classifier's training examples/);
    expect(unfamiliar(body)?.message).not.toContain('text[2]');
    // From the cache: the same scores and the same warning.
    const again = await json(await classifyWith(tenant.auth, classifier.id, TEXTS));
    expect(again.cached).toBe(true);
    expect(again.results).toEqual(body.results);
    expect(unfamiliar(again)?.message).toBe(unfamiliar(body)?.message);
  });

  it('answers as before with a version stored before the centroids were recorded', async () => {
    const tenant = await createTenant({ providerOrder: { classify: ['local'] } });
    const id = 'clf_offTopicOldVersion1';
    const now = new Date().toISOString();
    const labels = Object.keys(intents).sort();
    await insertClassifier(env.DB, { id, tenantId: tenant.id, name: 'old', createdAt: now, updatedAt: now }, { version: 1, status: 'training', labels, examples: EXAMPLES.length, features: 'lexical+word-vectors-100k', metrics: null, error: null, createdAt: now, trainedAt: null });
    const trained = await train(env, requestExamples(EXAMPLES), 'lexical+word-vectors-100k');
    expect(trained.model.centroids).toBeDefined();
    delete trained.model.centroids;
    await markVersionReady(env, tenant.id, id, 1, trained);
    const body = await json(await classifyWith(tenant.auth, id, TEXTS));
    expect(body.provider).toBe('local');
    // Every text shares a word with the examples: nothing is capped, no warning, as before.
    expect(unfamiliar(body)).toBeUndefined();
    expect(body.results[0].labels[0].score).toBeGreaterThan(UNFAMILIAR_TEXT_SCORE_CAP);
  });
});
