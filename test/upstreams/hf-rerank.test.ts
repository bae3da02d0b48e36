// Hugging Face rerank over its two wire forms (issue 18, item 5). Serverless hf-inference serves
// BAAI/bge-reranker-v2-m3 as text-classification (transformers' pipeline behind the Inference
// Toolkit): `{inputs: [{text, text_pair}], parameters}` → one `{label, score}` per pair. An
// endpoint (the tenant's, or HF_ENDPOINTS') is TEI: `{query, texts}` → `[{index, score}]`. The
// stand-in refuses each route's wrong body as the real server does, so these fail on code that
// posts TEI's body to the serverless route.
import { describe, expect, it } from 'vitest';
import { rerankTask } from '../../src/tasks/rerank/task';
import { hfCallRecord, hfOrigin, uniqueText } from '../support/api';
import { callProvider, failureOf } from '../support/provider-contract';

const SERVERLESS = '/models/BAAI/bge-reranker-v2-m3';

async function post(path: string, body: unknown) {
  const response = await fetch(`${hfOrigin()}${path}`, { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('the stand-in refuses the wrong body like the real route', () => {
  it('serverless (the Inference Toolkit) refuses TEI\'s body: 400, "Body needs to provide a inputs key"', async () => {
    const reply = await post(SERVERLESS, { query: 'q', texts: ['a'], raw_scores: false, truncate: true });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text).error).toMatch(/^Body needs to provide a inputs key, received: b'\{"query":"q"/);
  });

  it('serverless refuses a list of [text, pair] lists (transformers asks for {text, text_pair})', async () => {
    const reply = await post(SERVERLESS, { inputs: [['q', 'a'], ['q', 'b']] });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text).error).toContain('`{"text": "My text", "text_pair": "My pair"}`');
  });

  it('serverless answers one {label, score} per pair, in order, sigmoid scores', async () => {
    const reply = await post(SERVERLESS, { inputs: [{ text: 'refund card', text_pair: 'weather in Paris' }, { text: 'refund card', text_pair: 'refund to your card' }], parameters: { function_to_apply: 'sigmoid' } });
    expect(reply.status).toBe(200);
    const answers = JSON.parse(reply.text) as { label: string; score: number }[];
    expect(answers.map((answer) => answer.label)).toEqual(['LABEL_0', 'LABEL_0']);
    expect(answers[1]!.score).toBeGreaterThan(answers[0]!.score);
    for (const { score } of answers) expect(score).toBeGreaterThanOrEqual(0), expect(score).toBeLessThanOrEqual(1);
  });

  it('a TEI endpoint refuses text-classification\'s body with axum\'s 422 plain-text rejection, and empty texts with 400 Empty', async () => {
    const wrong = await post('/endpoints/rerank/tei', { inputs: [{ text: 'q', text_pair: 'a' }] });
    expect([wrong.status, wrong.type?.startsWith('text/plain')]).toEqual([422, true]);
    expect(wrong.text).toContain('missing field `query`');
    const empty = await post('/endpoints/rerank/tei', { query: 'q', texts: [] });
    expect([empty.status, JSON.parse(empty.text)]).toEqual([400, { error: '`texts` cannot be empty', error_type: 'Empty' }]);
  });
});

describe('rerank on serverless hf-inference: text-classification pairs', () => {
  it('ranks through the text-classification route with the deployment token', async () => {
    const query = uniqueText('how long does a refund take, a refund to my card');
    const documents = ['Shipping note about parcels.', 'A refund takes five days to reach your card.', 'Opening hours of the shop.'];
    const [ranked] = await callProvider(rerankTask, 'huggingface', [{ query, documents }], {});
    expect(ranked!.map((entry) => entry.index).sort()).toEqual([0, 1, 2]);
    expect(ranked![0]!.index).toBe(1);
    expect(await hfCallRecord(query)).toMatchObject({ calls: 1, paths: [SERVERLESS], tokens: ['hf_test_token_not_secret'] });
  });

  it('ranks 50 documents in chunks of 32, scores in the documents\' order', async () => {
    const query = uniqueText('how long does a refund take, a refund to my card');
    const documents = Array.from({ length: 50 }, (_, i) => `Shipping note number ${i} about parcels and couriers.`);
    documents[45] = 'A refund takes five days to reach your card.';
    documents[3] = 'Refunds are paid back to your card.';
    const [ranked] = await callProvider(rerankTask, 'huggingface', [{ query, documents }], {}, { timeoutMs: 5_000 });
    expect(ranked!.map((entry) => entry.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ranked!.slice(0, 2).map((entry) => entry.index)).toEqual([45, 3]);
    expect((await hfCallRecord(query)).calls).toBe(2);
  });

  it('reads the nested form (each pair\'s answer in a one-entry list) the same', async () => {
    const query = uniqueText('refund card refund');
    const documents = ['A refund to your card [[hf:nested]]', 'Parcel tracking'];
    const [nested] = await callProvider(rerankTask, 'huggingface', [{ query, documents }], {});
    const [flat] = await callProvider(rerankTask, 'huggingface', [{ query, documents: ['A refund to your card', 'Parcel tracking'] }], {});
    expect(nested!.map((entry) => entry.index)).toEqual(flat!.map((entry) => entry.index));
    expect(nested![0]!.index).toBe(0);
  });

  it('refuses an answer with a score missing for a pair', async () => {
    const error = await failureOf(callProvider(rerankTask, 'huggingface', [{ query: 'q [[hf:empty]]', documents: ['a', 'b'] }], {}));
    expect(error.code).toBe('upstream_bad_response');
    expect(error.message).toContain('0 scores for 2 text pairs');
  });

  it('keeps HF\'s Retry-After on a 429', async () => {
    const error = await failureOf(callProvider(rerankTask, 'huggingface', [{ query: 'q [[hf:429-retry-after]]', documents: ['a'] }], {}));
    expect([error.status, error.code, error.headers['Retry-After']]).toEqual([503, 'upstream_overloaded', '7']);
  });
});

describe('rerank on an endpoint: TEI', () => {
  it('a deployment endpoint for rerank (HF_ENDPOINTS) gets TEI\'s body, not text-classification\'s', async () => {
    const query = uniqueText('refund card refund');
    const url = `${hfOrigin()}/endpoints/rerank/deployment-tei`;
    const [ranked] = await callProvider(rerankTask, 'huggingface', [{ query, documents: ['Parcel tracking', 'A refund to your card'] }], {}, { env: { HF_ENDPOINTS: JSON.stringify({ rerank: url }) } });
    expect(ranked![0]!.index).toBe(1);
    expect((await hfCallRecord(query)).paths).toEqual(['/endpoints/rerank/deployment-tei']);
  });

  it("a tenant's endpoint gets TEI's body with the tenant's token", async () => {
    const query = uniqueText('refund card refund');
    const endpoint = { url: `${hfOrigin()}/endpoints/rerank/tenant-tei`, token: 'hf_tenant' };
    const [ranked] = await callProvider(rerankTask, 'huggingface', [{ query, documents: ['Parcel tracking', 'A refund to your card'] }], {}, { endpoint });
    expect(ranked![0]!.index).toBe(1);
    expect(await hfCallRecord(query)).toMatchObject({ paths: ['/endpoints/rerank/tenant-tei'], tokens: ['hf_tenant'] });
  });
});
