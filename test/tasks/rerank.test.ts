import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { localEmbedder } from '../../src/providers/local/semantic';
// @ts-expect-error: the eval set is a plain JS module (the owner's eval runner reads it), without types
import * as evalSet from '../../eval/tasks/rerank.mjs';
import { bm25Scores, winkTerms } from '../../src/tasks/rerank/bm25';
import { localRelevance, LOCAL_RERANK_WEIGHTS, type LocalRerankWeights } from '../../src/tasks/rerank/local-rerank';
import { ranking, sigmoid } from '../../src/tasks/rerank/ranking';
import { rankingSchema, type RerankResult } from '../../src/tasks/rerank/schema';
import { rerankTask } from '../../src/tasks/rerank/task';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../../src/tasks/embed/limits';
import { aiCallsFor, call, configureTask, createTenant, hfCallRecord, hfOrigin, json, uniqueText, type TestTenant } from '../support/api';
import { callProvider, describeProviderContract, describeUpstreamFaults, failureOf } from '../support/provider-contract';

const QUERY = 'how long does a refund take';
const DOCUMENTS = ['Our office is in Berlin.', 'A refund takes five days to reach your card.', 'Shipping is free over 50 euros.'];
const item = { query: QUERY, documents: DOCUMENTS };

describeProviderContract(rerankTask, {
  items: [item, { query: 'shipping costs', documents: DOCUMENTS }],
  options: {},
  result: rankingSchema,
  check: (results) => {
    expect(results[0]![0]!.index).toBe(1);
    expect(results[1]![0]!.index).toBe(2);
    for (const ranked of results) {
      expect(ranked.map((entry) => entry.index).sort()).toEqual([0, 1, 2]);
      expect(ranked.map((entry) => entry.score)).toEqual([...ranked.map((entry) => entry.score)].sort((a, b) => b - a));
    }
  },
});

describeUpstreamFaults(rerankTask, (directive) => ({ query: `refund ${directive}`, documents: DOCUMENTS }), {});

describe.each(rerankTask.providers.map((mapping) => [mapping.provider] as const))('rerank on %s: top_k', (provider) => {
  it('keeps the best k, best first', async () => {
    const [ranked] = await callProvider(rerankTask, provider, [item], { top_k: 1 });
    expect(ranked).toHaveLength(1);
    expect(ranked![0]!.index).toBe(1);
  });
});

describe('rerank scores', () => {
  it('ranks best first, ties in document order, scores clamped to 0–1, cut to top_k', () => {
    expect(ranking([0.2, 0.9, 0.2, 1.3])).toEqual([{ index: 3, score: 1 }, { index: 1, score: 0.9 }, { index: 0, score: 0.2 }, { index: 2, score: 0.2 }]);
    expect(ranking([0.2, 0.9], 1)).toEqual([{ index: 1, score: 0.9 }]);
  });

  it('maps Workers AI logits through a sigmoid', async () => {
    expect(sigmoid(0)).toBe(0.5);
    const [ranked] = await callProvider(rerankTask, 'workers-ai', [item], {});
    for (const entry of ranked!) expect(entry.score).toBeGreaterThan(0), expect(entry.score).toBeLessThan(1);
  });

  it('refuses an upstream ranking that skips or repeats a document', async () => {
    const error = await failureOf(callProvider(rerankTask, 'workers-ai', [{ query: 'x', documents: ['a [[ai:wrong-shape]]'] }], {}));
    expect(error.code).toBe('upstream_bad_response');
  });
});

describe('rerank on huggingface: serverless text-classification wire', () => {
  it('posts {inputs: [{text, text_pair}]} to the model route with the deployment token', async () => {
    const query = uniqueText('refund');
    await callProvider(rerankTask, 'huggingface', [{ query, documents: DOCUMENTS }], {});
    expect(await hfCallRecord(query)).toMatchObject({ calls: 1, paths: ['/models/BAAI/bge-reranker-v2-m3'], tokens: ['hf_test_token_not_secret'] });
  });

  it('passes on the model-loading estimate as Retry-After and refusals as rejected', async () => {
    const loading = await failureOf(callProvider(rerankTask, 'huggingface', [{ query: 'q [[hf:503]]', documents: ['a'] }], {}));
    expect(loading.headers['Retry-After']).toBe('3');
    const rejected = await failureOf(callProvider(rerankTask, 'huggingface', [{ query: 'q', documents: ['a'] }], {}, { model: 'nobody/none' }));
    expect([rejected.status, rejected.code]).toEqual([502, 'upstream_rejected']);
  });
});

describe('local rerank: BM25 + word vectors', () => {
  it('matches inflections through wink stems and drops stop words', () => {
    expect(winkTerms('The refunds were refunded', 100)).toEqual(['refund', 'refund']);
    const [hit, miss] = bm25Scores(winkTerms('refund', 100), [winkTerms('Refunds take days', 100), winkTerms('Shipping is free', 100)]);
    expect(hit).toBeGreaterThan(0);
    expect(miss).toBe(0);
  });

  // The choice of LOCAL_RERANK_WEIGHTS, measured on the eval set (eval/tasks/rerank.mjs).
  it('blends at least as well as BM25 alone and better than word vectors alone on the eval set (recall@1)', async () => {
    const cases = evalSet.cases as { request: { query: string; documents: string[] }; expected: number }[];
    const recall = async (weights: LocalRerankWeights) => {
      let hits = 0;
      for (const { request, expected } of cases) {
        const best = ranking(await localRelevance(request.query, request.documents, await localEmbedder(env), weights))[0]!.index;
        if (best === expected) hits++;
      }
      return hits / cases.length;
    };
    const table: Record<string, number> = {};
    for (const lexical of [1, 0.8, 0.6, 0.4, 0.2, 0]) table[`bm25 ${lexical}`] = await recall({ lexical, semantic: 1 - lexical });
    console.log('local rerank recall@1 by BM25 weight (the rest: word vectors):', Object.entries(table).map(([name, value]) => `${name}: ${value.toFixed(3)}`).join(', '));
    const chosen = await recall(LOCAL_RERANK_WEIGHTS);
    expect(chosen).toBeGreaterThanOrEqual(table['bm25 1']!);
    expect(chosen).toBeGreaterThan(table['bm25 0']!);
  });
});

const rerank = (tenant: TestTenant, body: unknown) => call('/v1/rerank', { headers: tenant.auth, body });

describe('POST /v1/rerank', () => {
  it('answers the ranking, best first; top_k is part of the cache key', async () => {
    const tenant = await createTenant();
    const query = uniqueText('how long does a refund take');
    const response = await rerank(tenant, { query, documents: DOCUMENTS });
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('MISS');
    expect(body).toMatchObject({ task: 'rerank', provider: 'workers-ai', model: '@cf/baai/bge-reranker-base', usage: { items: 1, cached_items: 0 } });
    expect(body.results.map((entry: RerankResult) => entry.index)).toHaveLength(3);
    expect(body.results[0].index).toBe(1);
    expect(body.usage.cost_usd).toBeGreaterThan(0);

    const again = await rerank(tenant, { query, documents: DOCUMENTS });
    expect(again.headers.get('x-cache')).toBe('HIT');
    const cut = await rerank(tenant, { query, documents: DOCUMENTS, top_k: 1 });
    expect(cut.headers.get('x-cache')).toBe('MISS');
    expect((await json(cut)).results).toEqual([body.results[0]]);
    expect(await aiCallsFor(query)).toBe(2);
  });

  it('runs on the local tier', async () => {
    const tenant = await createTenant({ providerOrder: { rerank: ['local'] } });
    const body = await json(await rerank(tenant, { query: 'refund', documents: DOCUMENTS, top_k: 2 }));
    expect(body).toMatchObject({ provider: 'local', model: 'minnow/bm25-word-vectors', usage: { cost_usd: 0 } });
    expect(body.results).toHaveLength(2);
    expect(body.results[0].index).toBe(1);
  });

  it("serves rerank from the tenant's own TEI endpoint with the tenant's token", async () => {
    const tenant = await createTenant();
    const url = `${hfOrigin()}/endpoints/rerank/acme-tei`;
    await configureTask(tenant.id, 'rerank', { providers: ['huggingface'], huggingface_endpoint: { url, token: 'hf_tenant_rerank' } });
    // The stand-in ranks by hashed words and the random id is a dozen more of them: the query repeats its topic.
    const query = uniqueText('refund refund card days');
    const body = await json(await rerank(tenant, { query, documents: DOCUMENTS }));
    expect(body).toMatchObject({ provider: 'huggingface', model: `hf-endpoint:${new URL(url).host}/endpoints/rerank/acme-tei`, usage: { cost_usd: 0 } });
    expect(body.results[0].index).toBe(1);
    expect(await hfCallRecord(query)).toMatchObject({ paths: ['/endpoints/rerank/acme-tei'], tokens: ['hf_tenant_rerank'] });
  });

  it("runs the tenant's Hugging Face model", async () => {
    const tenant = await createTenant();
    await configureTask(tenant.id, 'rerank', { providers: ['huggingface'], models: { huggingface: 'acme/reranker-legal' } });
    const query = uniqueText('refund');
    expect(await json(await rerank(tenant, { query, documents: DOCUMENTS }))).toMatchObject({ provider: 'huggingface', model: 'acme/reranker-legal' });
    expect((await hfCallRecord(query)).paths).toEqual(['/models/acme/reranker-legal']);
  });

  it.each([
    [{ query: 'q', documents: Array.from({ length: MAX_MEANING_ITEMS + 1 }, () => 'd') }, 'documents', String(MAX_MEANING_ITEMS)],
    [{ query: 'q', documents: ['d', 'x'.repeat(MAX_MEANING_TEXT_CHARS + 1)] }, 'documents.1', String(MAX_MEANING_TEXT_CHARS)],
    [{ query: '', documents: ['d'] }, 'query', 'empty'],
    [{ query: 'q', documents: [] }, 'documents', 'at least one'],
    [{ query: 'q', documents: ['d'], top_k: 0 }, 'top_k', 'at least 1'],
    [{ query: 'q', documents: ['d'], top_k: 1.5 }, 'top_k', 'integer'],
    [{ query: 'q', documents: ['d'], top_k: MAX_MEANING_ITEMS + 1 }, 'top_k', String(MAX_MEANING_ITEMS)],
    [{ query: 'q', documents: ['d'], return_documents: true }, 'return_documents', 'Unknown'],
  ])('refuses %#: 400 naming %s', async (body, param, mention) => {
    const tenant = await createTenant();
    const response = await rerank(tenant, body);
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error.param).toBe(param);
    expect(error.message).toContain(mention);
  });
});
