import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, createTenant, eventually, json, uniqueText } from './support/api';
import { guardFor } from '../src/durable-objects/tenant-guard/client';

/** Budget reservations the tenant's guard still holds. */
async function openReservations(tenantId: string): Promise<number> {
  const stub = guardFor(env, tenantId);
  return runInDurableObject(stub, (guard) => (guard as unknown as { reservations: Map<string, unknown> }).reservations.size);
}

describe('multi-step operations hold one reservation until they finish', () => {
  it('releases the reservation of uploads, searches, chat turns (plain and streamed) once each ends', async () => {
    const tenant = await createTenant();
    const kb = await json(await call('/v1/kb', { headers: tenant.auth, body: { name: 'Help', embedding: '@cf/baai/bge-small-en-v1.5' } }));
    expect((await call(`/v1/kb/${kb.id}/documents`, { headers: tenant.auth, body: { title: 'Hours', text: uniqueText('We are open from nine to five on weekdays.') } })).status).toBe(201);
    expect((await call(`/v1/kb/${kb.id}/search`, { headers: tenant.auth, body: { query: 'opening hours' } })).status).toBe(200);
    const bot = await json(await call('/v1/bots', { headers: tenant.auth, body: { name: 'Help', instructions: 'Be brief.', knowledge_bases: [kb.id] } }));
    expect((await call('/v1/chat', { headers: tenant.auth, body: { bot: bot.id, message: 'When are you open?' } })).status).toBe(200);
    const streamed = await call('/v1/chat', { headers: tenant.auth, body: { bot: bot.id, message: 'When are you open on weekdays?', stream: true } });
    expect(await streamed.text()).toContain('event: done');
    expect(await eventually(() => openReservations(tenant.id), (open) => open === 0)).toBe(0);
  });

  it('releases it when the operation fails part-way', async () => {
    const tenant = await createTenant();
    const kb = await json(await call('/v1/kb', { headers: tenant.auth, body: { name: 'Help', embedding: '@cf/baai/bge-small-en-v1.5' } }));
    expect((await call(`/v1/kb/${kb.id}/documents`, { headers: tenant.auth, body: { title: 'Broken', text: uniqueText('capacity [[ai:3040]]') } })).status).toBe(503);
    expect(await eventually(() => openReservations(tenant.id), (open) => open === 0)).toBe(0);
  });

  it('releases it when the knowledge base does not exist (a 404 on upload or search)', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const theirs = await json(await call('/v1/kb', { headers: other.auth, body: { name: 'Theirs', embedding: 'local' } }));
    for (const id of ['kb_doesnotexist0000', theirs.id]) {
      expect((await call(`/v1/kb/${id}/search`, { headers: tenant.auth, body: { query: 'opening hours' } })).status).toBe(404);
      expect((await call(`/v1/kb/${id}/documents`, { headers: tenant.auth, body: { title: 'Hours', text: 'We are open from nine to five.' } })).status).toBe(404);
    }
    expect(await eventually(() => openReservations(tenant.id), (open) => open === 0)).toBe(0);
  });
});
