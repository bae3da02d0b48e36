// Knowledge-base ingest with a Hugging Face embedding model has no fallback: before TEI's batch
// cap was respected, a document of more than 32 chunks failed outright (issue 18, item 3).
import { describe, expect, it } from 'vitest';
import { call, createTenant, eventually, json } from '../support/api';

describe('knowledge base on BAAI/bge-small-en-v1.5 (Hugging Face, TEI limits)', () => {
  it('ingests a document of more than 32 chunks and searches it in its own (CLS) space', async () => {
    const tenant = await createTenant();
    const created = await call('/v1/kb', { headers: tenant.auth, body: { name: 'Manual', embedding: 'BAAI/bge-small-en-v1.5' } });
    expect(created.status).toBe(201);
    const kb = await json(created);
    expect(kb.embedding).toEqual({ provider: 'huggingface', model: 'BAAI/bge-small-en-v1.5', dimensions: 384 });
    const paragraphs = Array.from({ length: 300 }, (_, i) => `Paragraph ${i} describes assembly step ${i} of the cabinet with screws, panels and hinges in order.`);
    paragraphs[250] = 'The zephyrquartz calibration dial sits behind the lower drawer and must be set before first use.';
    const added = await call(`/v1/kb/${kb.id}/documents`, { headers: tenant.auth, body: { title: 'Cabinet manual', text: paragraphs.join('\n\n') } });
    expect([201, 202]).toContain(added.status);
    const { id } = await json(added);
    const doc = await eventually(
      async () => json(await call(`/v1/kb/${kb.id}/documents/${id}`, { headers: tenant.auth })),
      (current) => current.status !== 'processing',
    );
    expect(doc.status, JSON.stringify(doc)).toBe('ready');
    expect(doc.chunks).toBeGreaterThan(32);
    const found = await json(await call(`/v1/kb/${kb.id}/search`, { headers: tenant.auth, body: { query: 'zephyrquartz calibration dial', mode: 'vector', top_k: 1 } }));
    expect(found.results[0].text).toContain('zephyrquartz');
  });
});
