import { ADMIN, call, createTenant, json, type TestTenant } from '../support/api';

export const SITE = 'https://shop.example';
export const OTHER_SITE = 'https://evil.example';

export interface PublishableKey {
  tenant: TestTenant;
  id: string;
  key: string;
  /** Headers a page on `origin` would send, as visitor `ip`. */
  from(origin?: string, ip?: string, extra?: Record<string, string>): Record<string, string>;
}

/** A tenant with a publishable key for SITE; `options` go into the key request as-is. */
export async function publishableKey(options: Record<string, unknown> = {}, tenantOptions: Parameters<typeof createTenant>[0] = {}): Promise<PublishableKey> {
  const tenant = await createTenant(tenantOptions);
  const response = await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: [SITE], ...options } });
  const issued = await json(response);
  if (response.status !== 201) throw new Error(`issuing a publishable key failed: ${JSON.stringify(issued)}`);
  return {
    tenant,
    id: issued.id,
    key: issued.key,
    from: (origin = SITE, ip = '203.0.113.7', extra = {}) => ({ authorization: `Bearer ${issued.key}`, ...(origin ? { origin } : {}), 'cf-connecting-ip': ip, ...extra }),
  };
}

export const sentiment = (headers: Record<string, string>, text = 'I love this shop') => call('/v1/sentiment', { headers, body: { text } });
export const visitorToken = (headers: Record<string, string>) => call('/v1/visitor-token', { method: 'POST', headers });
