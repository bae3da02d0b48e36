// TEI's client batch cap (issue 18, item 3): a TEI endpoint with its default limits takes at most
// 32 texts per request; minnow accepts 100. The stand-in refuses 33+ like TEI (422 with the stated
// maximum), so these fail on code that sends the whole batch at once.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hfBatchLimit, inBatches, statedBatchLimit } from '../../src/providers/huggingface/batch';
import { upstreamError } from '../../src/providers/upstream-errors';
import { embedTask } from '../../src/tasks/embed/task';
import { rerankTask } from '../../src/tasks/rerank/task';
import { similarityTask } from '../../src/tasks/similarity/task';
import { hfCallRecord, hfOrigin, uniqueText } from '../support/api';
import { callProvider } from '../support/provider-contract';

const teiEndpoint = (task: string) => ({ url: `${hfOrigin()}/endpoints/${task}/tei-default-limits`, token: 'hf_tenant_token' });

describe('TEI batch cap: the stand-in', () => {
  it('refuses 33 texts like TEI (422 Validation, the maximum stated in the message)', async () => {
    const response = await fetch(teiEndpoint('embed').url, {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: Array.from({ length: 33 }, (_, i) => `text ${i}`) }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: 'batch size 33 > maximum allowed batch size 32', error_type: 'Validation' });
  });
});

describe('TEI batch cap: rerank on huggingface', () => {
  it('ranks 50 documents through a TEI endpoint with default limits, in chunks of 32, indexes in the request order', async () => {
    // The stand-in ranks by hashed words and the random id adds a dozen more: the query repeats its topic.
    const query = uniqueText('how long does a refund take, a refund to my card');
    const documents = Array.from({ length: 50 }, (_, i) => `Shipping note number ${i} about parcels and couriers.`);
    documents[45] = 'A refund takes five days to reach your card.';
    documents[3] = 'Refunds are paid back to your card.';
    const [ranked] = await callProvider(rerankTask, 'huggingface', [{ query, documents }], {}, { endpoint: teiEndpoint('rerank'), timeoutMs: 5_000 });
    expect(ranked).toHaveLength(50);
    expect(ranked!.map((entry) => entry.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ranked![0]!.index).toBe(45);
    expect(ranked![1]!.index).toBe(3);
    const record = await hfCallRecord(query);
    expect(record.calls).toBe(2);
    expect(record.tokens).toEqual(['hf_tenant_token', 'hf_tenant_token']);
  });

  it('gives the same score to a document whichever chunk it lands in', async () => {
    const query = uniqueText('refund card');
    const documents = Array.from({ length: 40 }, (_, i) => `Document ${i} on refunds, cards and delays number ${i % 7}.`);
    const [all] = await callProvider(rerankTask, 'huggingface', [{ query, documents }], {}, { endpoint: teiEndpoint('rerank'), timeoutMs: 5_000 });
    const [tail] = await callProvider(rerankTask, 'huggingface', [{ query, documents: documents.slice(32) }], {}, { endpoint: teiEndpoint('rerank'), timeoutMs: 5_000 });
    const byIndex = new Map(all!.map((entry) => [entry.index, entry.score]));
    for (const entry of tail!) expect(byIndex.get(entry.index + 32)).toBe(entry.score);
  });
});

describe('TEI batch cap: embed on huggingface', () => {
  it('embeds 50 texts through a TEI endpoint with default limits, one vector per text, in order', async () => {
    const marker = crypto.randomUUID();
    const texts = Array.from({ length: 50 }, (_, i) => `${marker} sentence ${i} about topic${i}`);
    const results = await callProvider(embedTask, 'huggingface', texts, {}, { endpoint: teiEndpoint('embed'), timeoutMs: 5_000 });
    expect(results).toHaveLength(50);
    const singles = await Promise.all([0, 31, 32, 49].map((i) => callProvider(embedTask, 'huggingface', [texts[i]!], {}, { endpoint: teiEndpoint('embed') })));
    expect(singles.map(([single]) => single!.embedding)).toEqual([0, 31, 32, 49].map((i) => results[i]!.embedding));
    expect((await hfCallRecord(marker)).calls).toBe(2 + 4);
  });

  it('chunks to HF_MAX_CLIENT_BATCH when the deployment sets it (tenant endpoints keep 32)', async () => {
    const marker = crypto.randomUUID();
    const texts = Array.from({ length: 30 }, (_, i) => `${marker} row ${i}`);
    const results = await callProvider(embedTask, 'huggingface', texts, {}, { env: { HF_MAX_CLIENT_BATCH: '8' }, timeoutMs: 5_000 });
    expect(results).toHaveLength(30);
    expect((await hfCallRecord(marker)).calls).toBe(4);
    expect([hfBatchLimit({ env: { HF_MAX_CLIENT_BATCH: '8' } as never }), hfBatchLimit({ env: { HF_MAX_CLIENT_BATCH: 'x' } as never }), hfBatchLimit({ env: { HF_MAX_CLIENT_BATCH: '8' } as never, endpoint: { url: 'u', token: 't' } })]).toEqual([8, 32, 32]);
  });

  it('embeds 100 texts on the serverless route too (4 calls)', async () => {
    const marker = crypto.randomUUID();
    const texts = Array.from({ length: 100 }, (_, i) => `${marker} line ${i}`);
    const results = await callProvider(embedTask, 'huggingface', texts, {}, { timeoutMs: 5_000 });
    expect(results).toHaveLength(100);
    expect((await hfCallRecord(marker)).calls).toBe(4);
  });
});

describe('TEI batch cap: similarity on huggingface', () => {
  it('scores 60 sentences against the source in chunks, in order', async () => {
    const source = uniqueText('refund policy');
    const targets = Array.from({ length: 60 }, (_, i) => (i === 50 ? 'our refund policy' : `weather report ${i}`));
    const [scores] = await callProvider(similarityTask, 'huggingface', [{ source, targets }], {}, { timeoutMs: 5_000 });
    expect(scores).toHaveLength(60);
    expect(scores!.indexOf(Math.max(...scores!))).toBe(50);
  });
});

describe('inBatches', () => {
  it('keeps order across chunks and re-cuts once to the maximum an endpoint states', async () => {
    const seen: number[] = [];
    const out = await inBatches(Array.from({ length: 20 }, (_, i) => i), async (chunk) => {
      seen.push(chunk.length);
      if (chunk.length > 8) throw upstreamError('huggingface', 413, `batch size ${chunk.length} > maximum allowed batch size 8`);
      return chunk.map((n) => n * 2);
    }, 16);
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(seen.filter((size) => size === 8)).toHaveLength(2); // the retry: 8 + 8 + 4
    expect(statedBatchLimit(new Error('nothing stated'))).toBeUndefined();
    expect(env.HF_BASE_URL).toBeTruthy();
  });
});
