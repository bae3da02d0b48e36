import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN, call, configureTask, createTenant, hfCallRecord, hfOrigin, json, uniqueText } from './support/api';

const sentiment = (auth: Record<string, string>, text: string) => call('/v1/sentiment', { headers: auth, body: { text } });

describe("a tenant's own task configuration", () => {
  it("serves a task from the tenant's own HF endpoint with the tenant's token, never shown again", async () => {
    const tenant = await createTenant();
    const url = `${hfOrigin()}/endpoints/sentiment/acme-finetuned`;
    const saved = await configureTask(tenant.id, 'sentiment', { providers: ['huggingface', 'local'], huggingface_endpoint: { url, token: 'hf_tenant_secret_123' } });
    expect(saved).toEqual({ task: 'sentiment', providers: ['huggingface', 'local'], huggingface_endpoint: { url, token_set: true } });

    const row = await env.DB.prepare('SELECT * FROM tenant_tasks WHERE tenant_id = ?').bind(tenant.id).first<Record<string, string>>();
    expect(row!.hf_token_encrypted).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('hf_tenant_secret_123');
    const listed = await json(await call(`/admin/tenants/${tenant.id}/tasks`, { headers: ADMIN }));
    expect(JSON.stringify(listed)).not.toContain('hf_tenant_secret_123');

    const text = uniqueText('I love it');
    const response = await sentiment(tenant.auth, text);
    const body = await json(response);
    expect(body).toMatchObject({ provider: 'huggingface', model: `hf-endpoint:${new URL(url).host}/endpoints/sentiment/acme-finetuned`, usage: { cost_usd: 0 } });
    expect(await hfCallRecord(text)).toMatchObject({ paths: ['/endpoints/sentiment/acme-finetuned'], tokens: ['hf_tenant_secret_123'] });
    expect(JSON.stringify(body)).not.toContain('hf_tenant_secret_123');
  });

  it('runs the model the tenant names', async () => {
    const tenant = await createTenant();
    await configureTask(tenant.id, 'sentiment', { providers: ['huggingface'], models: { huggingface: 'ProsusAI/finbert' } });
    const text = uniqueText('great quarter');
    const body = await json(await sentiment(tenant.auth, text));
    expect(body).toMatchObject({ provider: 'huggingface', model: 'ProsusAI/finbert' });
    expect((await hfCallRecord(text)).paths).toEqual(['/models/ProsusAI/finbert']);
  });

  it('applies to the next request and goes back to defaults when deleted', async () => {
    const tenant = await createTenant();
    expect((await json(await sentiment(tenant.auth, uniqueText()))).provider).toBe('workers-ai');
    await configureTask(tenant.id, 'sentiment', { providers: ['local'] });
    expect((await json(await sentiment(tenant.auth, uniqueText()))).provider).toBe('local');
    const deleted = await call(`/admin/tenants/${tenant.id}/tasks/sentiment`, { method: 'DELETE', headers: ADMIN });
    expect(await json(deleted)).toEqual({ task: 'sentiment', deleted: true });
    expect((await json(await sentiment(tenant.auth, uniqueText()))).provider).toBe('workers-ai');
  });

  it.each([
    [{ providers: ['local', 'local'] }, 'providers'],
    [{ providers: ['openai'] }, 'providers.0'],
    [{ models: { 'workers-ai': '@cf/made/up' } }, 'models.workers-ai'],
    [{ models: { huggingface: 'not a model id' } }, 'models.huggingface'],
    [{ huggingface_endpoint: { url: 'http://endpoint.example', token: 't' } }, 'huggingface_endpoint.url'],
    [{ huggingface_endpoint: { url: 'https://user:pw@endpoint.example', token: 't' } }, 'huggingface_endpoint.url'],
    [{ huggingface_endpoint: { url: 'https://endpoint.example' } }, 'huggingface_endpoint.token'],
    [{ surprise: true }, 'surprise'],
  ])('refuses %j, naming %s', async (config, param) => {
    const tenant = await createTenant();
    const response = await call(`/admin/tenants/${tenant.id}/tasks/sentiment`, { method: 'PUT', headers: ADMIN, body: config });
    expect(response.status).toBe(400);
    expect((await json(response)).error.param).toBe(param);
  });

  it('answers 404 for an unknown task or tenant', async () => {
    const tenant = await createTenant();
    expect((await call(`/admin/tenants/${tenant.id}/tasks/astrology`, { method: 'PUT', headers: ADMIN, body: {} })).status).toBe(404);
    expect((await call('/admin/tenants/ten_nobody/tasks/sentiment', { method: 'PUT', headers: ADMIN, body: {} })).status).toBe(404);
  });
});
