// Embedding spaces (issue 18, item 1): Workers AI bge pools by mean unless told, Hugging Face's
// BAAI/bge by CLS; Cloudflare documents the two as incompatible. The stand-ins now answer the two
// poolings with different vectors, so a mix-up is visible.
import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../../src/lib/vectors';
import { embedTask } from '../../src/tasks/embed/task';
import { vectorSpaceOf, workersAiPooling } from '../../src/tasks/embed/models';
import { similarityTask } from '../../src/tasks/similarity/task';
// @ts-expect-error: the stand-in is a plain JS module, without types
import { bagOfWordsVector } from '../fakes/ai-models/classify.mjs';
import { call, createTenant, json, uniqueText } from '../support/api';
import { callProvider } from '../support/provider-contract';

const TEXT = 'Refunds reach your card within five business days';

describe('embedding spaces', () => {
  it('Workers AI bge and Hugging Face bge are two spaces (mean vs CLS); each model is one space', () => {
    expect(vectorSpaceOf('@cf/baai/bge-small-en-v1.5')).not.toBe(vectorSpaceOf('BAAI/bge-small-en-v1.5'));
    expect(vectorSpaceOf('@cf/baai/bge-base-en-v1.5')).not.toBe(vectorSpaceOf('BAAI/bge-base-en-v1.5'));
    expect(vectorSpaceOf('@cf/baai/bge-m3')).not.toBe(vectorSpaceOf('BAAI/bge-m3'));
    expect(vectorSpaceOf('@cf/baai/bge-small-en-v1.5')).not.toBe(vectorSpaceOf('@cf/baai/bge-base-en-v1.5'));
    expect(vectorSpaceOf('acme/own')).toBe('acme/own');
  });

  it('sends an explicit pooling to the Workers AI models that take one, and none to the others', () => {
    expect(['@cf/baai/bge-small-en-v1.5', '@cf/baai/bge-base-en-v1.5', '@cf/baai/bge-m3', 'BAAI/bge-small-en-v1.5'].map(workersAiPooling)).toEqual(['mean', 'mean', undefined, undefined]);
  });

  it('the stand-ins answer mean (Workers AI) and CLS (Hugging Face) with different vectors for one text', async () => {
    const [cf] = await callProvider(embedTask, 'workers-ai', [TEXT], {});
    const [hf] = await callProvider(embedTask, 'huggingface', [TEXT], {});
    expect(cf!.embedding).toEqual(bagOfWordsVector(TEXT, 384, 'mean'));
    expect(hf!.embedding).toEqual(bagOfWordsVector(TEXT, 384, 'cls'));
    // The same text across the two spaces looks no closer than unrelated texts do within one.
    expect(cosineSimilarity(cf!.embedding, hf!.embedding)).toBeLessThan(0.6);
  });

  it('a plain embed request does not answer from Hugging Face when Workers AI fails, and the cache never mixes the two', async () => {
    const tenant = await createTenant();
    const text = uniqueText('space check');
    const failed = await call('/v1/embed', { headers: tenant.auth, body: { text: `${text} [[ai:3040]]` } });
    expect(failed.status).toBe(503);
    const cf = await json(await call('/v1/embed', { headers: tenant.auth, body: { text } }));
    const hf = await json(await call('/v1/embed', { headers: tenant.auth, body: { text, model: 'BAAI/bge-small-en-v1.5' } }));
    expect([cf.provider, hf.provider, hf.cached]).toEqual(['workers-ai', 'huggingface', false]);
    expect(cf.results[0].embedding).not.toEqual(hf.results[0].embedding);
  });

  it('similarity on Workers AI uses the same (mean) vectors as embed', async () => {
    const [scores] = await callProvider(similarityTask, 'workers-ai', [{ source: TEXT, targets: [TEXT] }], {});
    expect(scores![0]).toBeCloseTo(1, 5);
  });
});
