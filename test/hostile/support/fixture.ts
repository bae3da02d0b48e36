import { env } from 'cloudflare:test';
import { ADMIN, call, createTenant, json, type TestTenant } from '../../support/api';
import { createBot, createKnowledgeBase } from '../../chat/support';
import { createHook, STANDARD_SECRET } from '../../webhooks/support';
import type { Route } from './routes';

/** Limits no property run can reach, so every request gets as far as validation and the handler. */
const UNLIMITED = { rpm: 1_000_000, burst: 1_000_000, daily_budget_usd: 1_000_000 };

export interface Fixture {
  tenant: TestTenant;
  /** Real ids for each path parameter, so a valid-looking body reaches the handler. */
  ids: { kb: string; doc: string; bot: string; conversation: string; hook: string; adminTenant: string; adminKey: string };
}

let cached: Promise<Fixture> | undefined;

/** One tenant owning one of everything; admin routes act on a separate tenant and key. */
export function fixture(): Promise<Fixture> {
  cached ??= (async () => {
    const tenant = await createTenant({ limits: UNLIMITED });
    const kb = await createKnowledgeBase(tenant.auth);
    const bot = await createBot(tenant.auth, { knowledge_bases: [kb.id] });
    const conversation = await json(await call('/v1/chat', { headers: tenant.auth, body: { bot: bot.id, message: 'How long do refunds take?' } }));
    const hook = await createHook(tenant, {
      name: 'hostile',
      verify: { scheme: 'standard', secret: STANDARD_SECRET },
      tasks: [{ task: 'sentiment', input: 'ticket.description' }],
      destination: { url: `${env.WEBHOOK_RECEIVER_URL}/r/hostile` },
    });
    const target = await createTenant({ limits: UNLIMITED });
    const key = await json(await call(`/admin/tenants/${target.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://site.example'] } }));
    return {
      tenant,
      ids: { kb: kb.id, doc: kb.documents[0]!, bot: bot.id, conversation: conversation.conversation_id, hook: hook.id, adminTenant: target.id, adminKey: key.id },
    };
  })();
  return cached;
}

/** The route's path with real ids, or with `override` for every parameter. */
export function pathFor(route: Route, ids: Fixture['ids'], override?: string): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    if (override !== undefined) return override;
    if (name === 'doc') return ids.doc;
    if (name === 'delivery') return 'dlv_missing0000000000';
    if (name === 'task') return 'sentiment';
    if (name === 'hookId') return ids.hook;
    if (route.path.startsWith('/admin/keys')) return ids.adminKey;
    if (route.path.startsWith('/admin/')) return ids.adminTenant;
    if (route.path.startsWith('/v1/kb')) return ids.kb;
    if (route.path.startsWith('/v1/bots')) return ids.bot;
    if (route.path.startsWith('/v1/conversations')) return ids.conversation;
    return ids.hook;
  });
}

/** The credential headers a route wants. */
export function authFor(route: Route, tenant: TestTenant): Record<string, string> {
  if (route.auth === 'admin') return ADMIN;
  if (route.auth === 'tenant') return tenant.auth;
  return {};
}
