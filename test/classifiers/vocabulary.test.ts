import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { requestExamples } from '../../src/classifiers/examples-source';
import { train } from '../../src/classifiers/training';
import { predict } from '../../src/lib/text-classifier/model';
import { localEmbedder } from '../../src/providers/local/semantic';
import { findClassifier, insertClassifier, markVersionReady } from '../../src/storage/classifiers';
import { createTenant, json } from '../support/api';
import { classifyWith, SUPPORT_EXAMPLES } from './support';

// Support tickets' key words are past the shared artifact's 30,000 most frequent words; trained
// classifiers read the 100,000-word artifact (docs/classifiers.md), and a version keeps the
// vectors it was trained on.
const TICKET = 'the login page rejects my password and the invoice link is broken';

describe('tenant-trained classifiers: the wider word-vector vocabulary', () => {
  it('knows support words the shared artifact does not', async () => {
    const shared = await localEmbedder(env);
    const wide = await localEmbedder(env, 'word-vectors-100k.bin');
    expect([shared.vocabularySize, wide.vocabularySize]).toEqual([30_000, 100_000]);
    expect(shared.knownTokens('login invoice')).toEqual([]);
    expect(wide.knownTokens('login invoice')).toEqual(['login', 'invoice']);
    // Same source and SIF weights for the words both hold: a text of common words embeds alike.
    const [a] = shared.embed(['where is my parcel, it was due on tuesday']);
    const [b] = wide.embed(['where is my parcel, it was due on tuesday']);
    expect(a!.reduce((sum, value, d) => sum + value * b![d]!, 0)).toBeGreaterThan(0.95);
  });

  it('a version trained on the shared vectors keeps answering with them', async () => {
    const tenant = await createTenant();
    const id = 'clf_vocabularyOldVersion1';
    const now = new Date().toISOString();
    await insertClassifier(env.DB, { id, tenantId: tenant.id, name: 'old', createdAt: now, updatedAt: now }, { version: 1, status: 'training', labels: ['account', 'billing', 'shipping'], examples: 18, features: 'lexical+word-vectors', metrics: null, error: null, createdAt: now, trainedAt: null });
    const trained = await train(env, requestExamples(SUPPORT_EXAMPLES), 'lexical+word-vectors');
    await markVersionReady(env, tenant.id, id, 1, trained);
    expect((await findClassifier(env.DB, tenant.id, id))!.versions[0]).toMatchObject({ status: 'ready', features: 'lexical+word-vectors' });

    const body = await json(await classifyWith(tenant.auth, id, TICKET));
    expect(body).toMatchObject({ provider: 'local', model: `${id}@v1` });
    const answered = Object.fromEntries(body.results[0].labels.map((l: { label: string; score: number }) => [l.label, l.score]));
    const scoresWith = async (artifact: 'word-vectors.bin' | 'word-vectors-100k.bin') => {
      const probabilities = predict(trained.model, TICKET, (await localEmbedder(env, artifact)).embed([TICKET])[0]);
      return Object.fromEntries(trained.model.labels.map((label, l) => [label, Math.round(probabilities[l]! * 10_000) / 10_000]));
    };
    expect(answered).toEqual(await scoresWith('word-vectors.bin'));
    // The wider vectors would have given other scores: the assertion above tells them apart.
    expect(answered).not.toEqual(await scoresWith('word-vectors-100k.bin'));
  });
});
