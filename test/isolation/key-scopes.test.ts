import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, json, type TestTenant } from '../support/api';
import { createHook, receiverBucket, STANDARD_SECRET } from '../webhooks/support';

/** A second secret key of the same tenant, limited to `scopes`. */
async function scopedKey(tenant: TestTenant, scopes: string[]): Promise<Record<string, string>> {
  const issued = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', scopes } }));
  return { authorization: `Bearer ${issued.key}` };
}

async function expectScopeRefused(response: Response): Promise<void> {
  const body = await json(response);
  expect(response.status, JSON.stringify(body)).toBe(403);
  expect(body.error.code).toBe('scope_not_allowed');
}

describe('a key limited to some tasks', () => {
  it('cannot create, read, reconfigure or read the deliveries of webhooks (they run other tasks and hold what they were sent)', async () => {
    const tenant = await createTenant();
    const { url } = await receiverBucket();
    const hook = await createHook(tenant, { name: 'tickets', verify: { scheme: 'standard', secret: STANDARD_SECRET }, tasks: [{ task: 'sentiment', input: 'ticket.text' }], destination: { url } });
    const sentimentOnly = await scopedKey(tenant, ['sentiment']);

    await expectScopeRefused(await call('/v1/webhooks', { headers: sentimentOnly, body: { name: 'more', verify: { scheme: 'standard', secret: STANDARD_SECRET }, tasks: [{ task: 'language', input: 'text' }], destination: { url } } }));
    await expectScopeRefused(await call('/v1/webhooks', { headers: sentimentOnly }));
    await expectScopeRefused(await call(`/v1/webhooks/${hook.id}`, { headers: sentimentOnly }));
    await expectScopeRefused(await call(`/v1/webhooks/${hook.id}`, { method: 'PATCH', headers: sentimentOnly, body: { tasks: [{ task: 'moderate', input: 'ticket.text' }] } }));
    await expectScopeRefused(await call(`/v1/webhooks/${hook.id}`, { method: 'PATCH', headers: sentimentOnly, body: { rotate_signing_secret: {} } }));
    await expectScopeRefused(await call(`/v1/webhooks/${hook.id}/deliveries`, { headers: sentimentOnly }));
    await expectScopeRefused(await call(`/v1/webhooks/${hook.id}`, { method: 'DELETE', headers: sentimentOnly }));

    // Nothing changed, and the key of every scope still manages it.
    const unchanged = await json(await call(`/v1/webhooks/${hook.id}`, { headers: tenant.auth }));
    expect(unchanged.tasks).toEqual([expect.objectContaining({ task: 'sentiment' })]);
    expect((await call(`/v1/webhooks/${hook.id}/deliveries`, { headers: tenant.auth })).status).toBe(200);
  });

  it('lists and deletes conversations only with the chat scope', async () => {
    const tenant = await createTenant();
    const sentimentOnly = await scopedKey(tenant, ['sentiment']);
    const chat = await scopedKey(tenant, ['chat']);
    await expectScopeRefused(await call('/v1/conversations', { headers: sentimentOnly }));
    await expectScopeRefused(await call('/v1/conversations/conv_0000000000000000000000', { method: 'DELETE', headers: sentimentOnly }));
    expect((await call('/v1/conversations', { headers: chat })).status).toBe(200);
    expect((await call('/v1/conversations/conv_0000000000000000000000', { method: 'DELETE', headers: chat })).status).toBe(404);
  });

  it('reads knowledge bases with the search scope and classifiers with the classify scope, and nothing else', async () => {
    const tenant = await createTenant();
    const sentimentOnly = await scopedKey(tenant, ['sentiment']);
    const search = await scopedKey(tenant, ['search']);
    const classify = await scopedKey(tenant, ['classify']);
    await expectScopeRefused(await call('/v1/kb', { headers: sentimentOnly }));
    await expectScopeRefused(await call('/v1/kb', { headers: classify }));
    expect((await call('/v1/kb', { headers: search })).status).toBe(200);
    await expectScopeRefused(await call('/v1/classifiers', { headers: sentimentOnly }));
    await expectScopeRefused(await call('/v1/classifiers', { headers: search }));
    expect((await call('/v1/classifiers', { headers: classify })).status).toBe(200);
    // Managing them still needs every scope.
    await expectScopeRefused(await call('/v1/kb', { headers: search, body: { name: 'docs' } }));
    // Usage is the tenant's account data, readable with any secret key.
    expect((await call('/v1/usage', { headers: sentimentOnly })).status).toBe(200);
  });
});
