import { describe, expect, it } from 'vitest';
import { DOCS_VIEWER_PATH } from '../src/routes/docs';
import { call, json } from './support/api';

describe('docs and health', () => {
  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const doc = await json(await call('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    const sentiment = doc.paths['/v1/sentiment'].post;
    expect(sentiment.requestBody.content['application/json'].schema).toBeDefined();
    expect(Object.keys(sentiment.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '402', '403', '413', '429', '502', '503', '504']));
    expect(doc.components.schemas.SentimentRequest).toBeDefined();
    expect(doc.components.schemas.Error).toBeDefined();
    expect(doc.paths['/admin/tenants'].post).toBeDefined();
  });

  it('serves interactive docs, the viewer from the Worker\'s own static assets', async () => {
    const response = await call('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const page = await response.text();
    expect(page).toContain(DOCS_VIEWER_PATH);
    expect(page).not.toMatch(/https?:\/\//);
    const init = await call('/docs/init.js');
    expect(init.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await init.text()).toContain('"url":"/openapi.json"');
    const viewer = await call(DOCS_VIEWER_PATH);
    expect(viewer.status).toBe(200);
    expect(viewer.headers.get('cache-control')).toContain('immutable');
    expect((await viewer.text()).length).toBeGreaterThan(1_000_000);
  });

  it('says which providers are active', async () => {
    const health = await json(await call('/healthz'));
    expect(health.status).toBe('ok');
    expect(health.providers).toEqual([
      { id: 'workers-ai', active: true, detail: expect.any(String) },
      { id: 'huggingface', active: true, detail: expect.any(String) },
      { id: 'local', active: true, detail: expect.any(String) },
    ]);
    expect(JSON.stringify(health)).not.toContain('hf_test_token');
  });
});
