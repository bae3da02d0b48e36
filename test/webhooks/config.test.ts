import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, json } from '../support/api';
import { trainedClassifier } from '../classifiers/support';
import { createHook, receiverBucket, STANDARD_SECRET } from './support';

const ticketHook = (url: string) => ({
  name: 'helpdesk',
  verify: { scheme: 'standard', secret: STANDARD_SECRET },
  tasks: [
    { task: 'sentiment', input: 'ticket.description' },
    { task: 'classify', input: 'ticket.description', options: { labels: ['billing', 'shipping'] } },
  ],
  destination: { url },
});

describe('webhook configuration', () => {
  it('refuses a classify task naming a classifier the tenant does not have (404, as POST /v1/classify), on create and on PATCH; saves one it has', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const theirs = await trainedClassifier(other.auth);
    const mine = await trainedClassifier(tenant.auth);
    const { url } = await receiverBucket();
    const hookNaming = (classifier: string) => ({
      name: 'router',
      verify: { scheme: 'standard', secret: STANDARD_SECRET },
      tasks: [{ task: 'sentiment', input: 'text' }, { task: 'classify', input: 'text', options: { classifier } }],
      destination: { url },
    });
    const single = await json(await call('/v1/classify', { headers: tenant.auth, body: { text: 'refund', classifier: theirs.id } }));
    expect(single.error.code).toBe('classifier_not_found');
    for (const named of ['clf_doesnotexist1', theirs.id]) {
      const refused = await call('/v1/webhooks', { headers: tenant.auth, body: hookNaming(named) });
      expect(refused.status, named).toBe(404);
      expect((await json(refused)).error, named).toMatchObject({ type: 'not_found_error', code: single.error.code, param: 'tasks.1.options.classifier', message: expect.stringContaining(named) });
    }
    expect((await json(await call('/v1/webhooks', { headers: tenant.auth }))).data).toEqual([]);

    const saved = await createHook(tenant, hookNaming(mine.id));
    expect(saved.tasks[1].options).toEqual({ classifier: mine.id });
    const patch = await call(`/v1/webhooks/${saved.id}`, { method: 'PATCH', headers: tenant.auth, body: { tasks: [{ task: 'classify', input: 'text', options: { classifier: theirs.id } }] } });
    expect(patch.status).toBe(404);
    expect((await json(patch)).error).toMatchObject({ code: 'classifier_not_found', param: 'tasks.0.options.classifier' });
    expect((await json(await call(`/v1/webhooks/${saved.id}`, { headers: tenant.auth }))).tasks[1].options).toEqual({ classifier: mine.id });
  });

  it('creates a hook with a whsec_ signing secret shown once, and never returns a secret again', async () => {
    const tenant = await createTenant();
    const { url } = await receiverBucket();
    const created = await createHook(tenant, ticketHook(url));
    expect(created).toMatchObject({ object: 'webhook', name: 'helpdesk', inbound_url: `https://minnow.test/hooks/${created.id}`, verify: { scheme: 'standard' }, events: [] });
    expect(created.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(JSON.stringify(created)).not.toContain(STANDARD_SECRET);

    const responses = [
      await call(`/v1/webhooks/${created.id}`, { headers: tenant.auth }),
      await call('/v1/webhooks', { headers: tenant.auth }),
      await call(`/v1/webhooks/${created.id}`, { method: 'PATCH', headers: tenant.auth, body: { verify: { secret: 'whsec_bmV3IHNlY3JldCBmb3Igcm90YXRpb24=' } } }),
    ];
    for (const response of responses) {
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).not.toContain(STANDARD_SECRET);
      expect(text).not.toContain(created.signing_secret);
      expect(text).not.toContain('bmV3IHNlY3JldCBmb3Igcm90YXRpb24');
      expect(text).not.toMatch(/encrypted|v1\.[A-Za-z0-9+/]+=*\./);
    }
  });

  it('lists, updates and deletes', async () => {
    const tenant = await createTenant();
    const { url } = await receiverBucket();
    const hook = await createHook(tenant, ticketHook(url));
    const listed = await json(await call('/v1/webhooks', { headers: tenant.auth }));
    expect(listed.data.map((entry: { id: string }) => entry.id)).toEqual([hook.id]);
    const patched = await json(await call(`/v1/webhooks/${hook.id}`, { method: 'PATCH', headers: tenant.auth, body: { name: 'renamed', events: ['budget.soft_limit'] } }));
    expect(patched).toMatchObject({ name: 'renamed', events: ['budget.soft_limit'], tasks: hook.tasks });
    const deleted = await call(`/v1/webhooks/${hook.id}`, { method: 'DELETE', headers: tenant.auth });
    expect(await json(deleted)).toEqual({ id: hook.id, object: 'webhook', deleted: true });
    expect((await call(`/v1/webhooks/${hook.id}`, { headers: tenant.auth })).status).toBe(404);
  });

  it('accepts an events-only destination, with no inbound URL', async () => {
    const tenant = await createTenant();
    const { url } = await receiverBucket();
    const hook = await createHook(tenant, { name: 'alerts', destination: { url }, events: ['budget.soft_limit'] });
    expect(hook).toMatchObject({ inbound_url: null, verify: null, tasks: [], events: ['budget.soft_limit'] });
    expect((await call(`/hooks/${hook.id}`, { body: {} })).status).toBe(404);
  });

  it('turns a hook into an events-only destination with verify: null and tasks: []', async () => {
    const tenant = await createTenant();
    const { url } = await receiverBucket();
    const hook = await createHook(tenant, ticketHook(url));
    const refused = await call(`/v1/webhooks/${hook.id}`, { method: 'PATCH', headers: tenant.auth, body: { verify: null } });
    expect(refused.status).toBe(400);
    expect((await json(refused)).error.param).toBe('verify');
    const changed = await call(`/v1/webhooks/${hook.id}`, { method: 'PATCH', headers: tenant.auth, body: { verify: null, tasks: [], events: ['conversation.handoff'] } });
    expect(await json(changed)).toMatchObject({ verify: null, tasks: [], inbound_url: null, events: ['conversation.handoff'] });
    expect((await call(`/hooks/${hook.id}`, { body: {} })).status).toBe(404);
  });

  it.each([
    [{ tasks: [{ task: 'nope', input: 'a' }] }, 'tasks.0.task'],
    [{ tasks: [{ task: 'sentiment', input: {} }] }, 'tasks.0.input'],
    [{ tasks: [{ task: 'classify', input: 'a' }] }, 'tasks.0.options.labels'],
    [{ tasks: [{ task: 'classify', input: 'a', options: { labels: ['x', 'y'], colour: 1 } }] }, 'tasks.0.options.colour'],
    [{ tasks: [{ task: 'summarize', input: 'a', options: { max_words: 5000 } }] }, 'tasks.0.options.max_words'],
    [{ tasks: [{ task: 'sentiment', input: 'a..b' }] }, 'tasks.0.input'],
    [{ tasks: [{ task: 'answer', input: { question: 'q', nope: 'x' } }] }, 'tasks.0.input.nope'],
    [{ tasks: [{ task: 'sentiment', input: 'a' }, { task: 'sentiment', input: 'b' }] }, 'tasks.1.task'],
    [{ verify: undefined }, 'verify'],
    [{ verify: { scheme: 'standard', secret: 'not base64 at all!' } }, 'verify.secret'],
    [{ verify: { scheme: 'nope', secret: 'abcdefghij' } }, 'verify.scheme'],
    [{ tasks: [], events: [] }, 'tasks'],
    [{ events: ['budget.sof_limit'] }, 'events.0'],
    [{ destination: { url: 'http://example.com/hook' } }, 'destination.url'],
    [{ destination: { url: 'https://169.254.169.254/latest' } }, 'destination.url'],
    [{ surprise: true }, 'surprise'],
  ])('refuses %j naming %s', async (change, param) => {
    const tenant = await createTenant();
    const { url } = await receiverBucket();
    const response = await call('/v1/webhooks', { headers: tenant.auth, body: { ...ticketHook(url), ...change } });
    const body = await json(response);
    expect(response.status).toBe(400);
    expect(body.error.param).toBe(param);
  });

  it('needs a secret key: publishable keys get 403, no key 401', async () => {
    const tenant = await createTenant();
    const issued = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'] } }));
    const publishable = await call('/v1/webhooks', { headers: { authorization: `Bearer ${issued.key}`, origin: 'https://shop.example' } });
    expect(publishable.status).toBe(403);
    expect((await json(publishable)).error.code).toBe('secret_key_required');
    expect((await call('/v1/webhooks')).status).toBe(401);
  });

  it("keeps tenants apart: another tenant's hook is 404 to read, change, delete, list deliveries and replay", async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const { url } = await receiverBucket();
    const hook = await createHook(owner, ticketHook(url));
    expect((await json(await call('/v1/webhooks', { headers: other.auth }))).data).toEqual([]);
    const attempts = [
      call(`/v1/webhooks/${hook.id}`, { headers: other.auth }),
      call(`/v1/webhooks/${hook.id}`, { method: 'PATCH', headers: other.auth, body: { name: 'mine now' } }),
      call(`/v1/webhooks/${hook.id}`, { method: 'DELETE', headers: other.auth }),
      call(`/v1/webhooks/${hook.id}/deliveries`, { headers: other.auth }),
      call(`/v1/webhooks/${hook.id}/deliveries/msg_x`, { headers: other.auth }),
      call(`/v1/webhooks/${hook.id}/deliveries/msg_x/replay`, { method: 'POST', headers: other.auth }),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(404);
    expect((await json(await call(`/v1/webhooks/${hook.id}`, { headers: owner.auth }))).name).toBe('helpdesk');
  });

  it('is documented in /openapi.json', async () => {
    const spec = await json(await call('/openapi.json'));
    for (const path of ['/v1/webhooks', '/v1/webhooks/{id}', '/v1/webhooks/{id}/deliveries', '/v1/webhooks/{id}/deliveries/{delivery}', '/v1/webhooks/{id}/deliveries/{delivery}/replay', '/hooks/{hookId}']) {
      expect(spec.paths[path], path).toBeDefined();
    }
  });
});
