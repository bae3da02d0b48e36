import { describe, expect, it } from 'vitest';
import { call, configureTask, json, ADMIN } from '../support/api';
import { chat, tenantWithBot } from './support';

describe("a tenant's chat configuration", () => {
  it("sets the generation order for the tenant's bots through the admin task API", async () => {
    const { tenant, bot } = await tenantWithBot({ instructions: 'Be brief.' });
    const before = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    expect(before.mode).toBe('generated');
    await configureTask(tenant.id, 'chat', { providers: ['local'] });
    const after = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    expect(after).toMatchObject({ mode: 'quoted', provider: 'local' });
  });

  it('refuses models and providers chat cannot run', async () => {
    const { tenant } = await tenantWithBot({ instructions: 'Be brief.' });
    const response = await call(`/admin/tenants/${tenant.id}/tasks/chat`, { method: 'PUT', headers: ADMIN, body: { models: { 'workers-ai': '@cf/baai/bge-small-en-v1.5' } } });
    expect(response.status).toBe(400);
    expect((await json(response)).error.param).toBe('models.workers-ai');
  });
});
