import { z } from '@hono/zod-openapi';
import { KEY_SCOPES } from '../contracts/scopes';

export const limitsSchema = z
  .object({
    rpm: z.number().int().min(1).max(1_000_000).openapi({ description: 'Requests per minute (token refill rate)' }),
    burst: z.number().int().min(1).max(1_000_000).openapi({ description: 'Bucket size: requests allowed at once' }),
    daily_budget_usd: z.number().min(0).max(1_000_000).openapi({ description: 'Spend cap per UTC day, in USD' }),
    monthly_budget_usd: z.number().min(0).max(100_000_000).nullable().openapi({ description: 'Spend cap per UTC month, in USD; null = none' }),
    daily_budget_neurons: z.number().min(0).max(1e12).nullable().openapi({ description: 'Workers AI neurons per UTC day; null = none' }),
    soft_limit_ratio: z
      .number()
      .gt(0)
      .max(1)
      .nullable()
      .openapi({ description: 'Share of a cap (e.g. 0.8) at which a budget.soft_limit notice is recorded; null = never' }),
    exact_admission: z
      .boolean()
      .openapi({
        description:
          'true: every request is admitted by the tenant\'s guard itself (one round trip each). false (default): isolates admit from short leases while the tenant is far from its caps (docs/how-a-request-runs.md, "Leases")',
      }),
  })
  .strict()
  .openapi('Limits');

export const createTenantSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    limits: limitsSchema.partial().optional(),
  })
  .strict()
  .openapi('CreateTenant');

export const patchTenantSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    limits: limitsSchema.partial().optional(),
  })
  .strict()
  .openapi('PatchTenant');

export const tenantSchema = z
  .object({ id: z.string(), name: z.string(), limits: limitsSchema, created_at: z.string() })
  .openapi('Tenant');

/** What an origin looks like before its host is read: a scheme, `://`, then everything up to a path, query or fragment. */
const ORIGIN_PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/[^/?#]*/;

/**
 * An allowed origin as browsers send it in `Origin`: `scheme://host[:port]` and nothing after.
 * Capitals in the scheme and host, a default port (`:443` on https) and a non-ASCII host are
 * written as browsers write them (`https://Shop.example` → `https://shop.example`), since that is
 * what an `Origin` header will hold; anything after the host — even a lone trailing `/` — is a
 * path no `Origin` ever has, so it is refused, saying what it was and what to send instead.
 */
function normalisedOrigin(value: string): { origin: string } | { problem: string } {
  const form = 'an origin is scheme://host[:port] with nothing after it, e.g. https://shop.example';
  const prefix = ORIGIN_PREFIX.exec(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `"${value}" is not a URL: ${form}` };
  }
  if (!prefix) return { problem: `"${value}" has no scheme://host: ${form}` };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: `"${value}" uses ${url.protocol.slice(0, 20)}, not http or https: ${form}` };
  if (url.username || url.password) return { problem: `"${value}" has a user name or password: ${form}` };
  const rest = value.slice(prefix[0].length);
  if (rest !== '') {
    const what = rest.startsWith('?') ? 'a query' : rest.startsWith('#') ? 'a fragment' : rest === '/' ? 'a trailing "/"' : `a path ("${rest.slice(0, 60)}")`;
    return { problem: `"${value}" has ${what}, which no Origin header has: send "${url.origin}" (${form})` };
  }
  return { origin: url.origin };
}

const originSchema = z
  .string()
  .max(300)
  .transform((value, ctx) => {
    const checked = normalisedOrigin(value);
    if ('origin' in checked) return checked.origin;
    ctx.addIssue({ code: 'custom', message: checked.problem });
    return z.NEVER;
  })
  .openapi({
    description: 'scheme://host[:port], nothing after it (no path, not even a trailing "/"); capitals in the host and a default port are written as browsers send them (https://Shop.example → https://shop.example)',
    example: 'https://shop.example',
  });

const visitorLimitsSchema = z
  .object({
    rpm: z.number().int().min(1).max(100_000).openapi({ description: "One visitor's requests per minute" }),
    burst: z.number().int().min(1).max(100_000).openapi({ description: "One visitor's bucket size" }),
  })
  .strict()
  .openapi('VisitorLimits');

const createKeyFields = {
  scopes: z.array(z.enum(['*', ...KEY_SCOPES])).min(1).max(50).optional().openapi({ description: 'Tasks and operations (chat, search) the key may call; default all' }),
};

export const createKeySchema = z
  .object({
    kind: z.enum(['secret', 'publishable']),
    scopes: createKeyFields.scopes,
    origins: z.array(originSchema).max(50).optional().openapi({ description: 'Browser origins a publishable key works from' }),
    visitor_limits: visitorLimitsSchema.optional().openapi({ description: 'Publishable keys: limits per visitor (IP or visitor token), inside the tenant limits; default 20 rpm, burst 10' }),
    turnstile_secret: z.string().min(1).max(200).optional().openapi({ description: 'Publishable keys: a Cloudflare Turnstile secret key; when set, visitors must pass Turnstile. Stored encrypted, never returned' }),
    exact_admission: z.boolean().optional().openapi({ description: "Secret keys: true = every request with this key is admitted by the tenant's rate-limit guard itself (one Durable Object round trip), never from an isolate's lease — exact at the cost of latency. Publishable keys always are" }),
  })
  .strict()
  .refine((key) => key.kind !== 'publishable' || (key.origins?.length ?? 0) > 0, {
    message: 'a publishable key needs at least one allowed origin',
    path: ['origins'],
  })
  .refine((key) => key.kind !== 'secret' || !key.origins?.length, {
    message: 'origins apply to publishable keys only; secret keys are for servers',
    path: ['origins'],
  })
  .refine((key) => key.kind !== 'secret' || (key.visitor_limits === undefined && key.turnstile_secret === undefined), {
    message: 'visitor limits and Turnstile apply to publishable keys only',
    path: ['kind'],
  })
  .refine((key) => key.kind !== 'publishable' || key.exact_admission === undefined, {
    message: 'exact_admission applies to secret keys; a publishable key is always admitted by the guard (its visitors have buckets there)',
    path: ['exact_admission'],
  })
  .openapi('CreateKey');

export const patchKeySchema = z
  .object({
    scopes: createKeyFields.scopes,
    origins: z.array(originSchema).min(1).max(50).optional().openapi({ description: 'Publishable keys: replaces the allowed origins' }),
    visitor_limits: visitorLimitsSchema.nullable().optional().openapi({ description: 'Publishable keys: per-visitor limits; null = the defaults' }),
    turnstile_secret: z.string().min(1).max(200).nullable().optional().openapi({ description: 'Publishable keys: a new Turnstile secret; null turns bot protection off' }),
    exact_admission: z.boolean().optional().openapi({ description: "Secret keys: true = every request with this key is admitted by the tenant's rate-limit guard itself (one Durable Object round trip), never from an isolate's lease — exact at the cost of latency. Publishable keys always are" }),
  })
  .strict()
  .openapi('PatchKey');

export const issuedKeySchema = z
  .object({
    id: z.string(),
    key: z.string().openapi({ description: 'The full key. Shown this once; only its hash is stored.' }),
    prefix: z.string(),
    kind: z.enum(['secret', 'publishable']),
    scopes: z.array(z.string()),
    origins: z.array(z.string()),
    visitor_limits: visitorLimitsSchema.nullable().openapi({ description: 'null = the defaults (20 rpm, burst 10)' }),
    turnstile: z.boolean().openapi({ description: 'Whether visitors must pass Turnstile (the secret is never returned)' }),
    exact_admission: z.boolean().openapi({ description: "Whether every request with this key is admitted by the tenant's guard, never from a lease" }),
    created_at: z.string(),
  })
  .openapi('IssuedKey');

export const keySummarySchema = issuedKeySchema.omit({ key: true }).extend({ revoked_at: z.string().nullable() }).openapi('KeySummary');
