import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { admitAccountRequest } from '../admission/admit';
import { apiKeyFormat } from '../http/api-key-format';
import { errorResponse as error } from '../http/error-responses';
import { MAX_GROUPS, USAGE_GROUPINGS, usageRollups, type UsageRollupRow } from '../storage/usage-rollups';

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

const isoDate = z.iso.date();
// An offset is required: a bare local time would be read in the server's zone, which means nothing here.
const isoDateTime = z.iso.datetime({ offset: true });
const isInstant = (value: string) => (isoDate.safeParse(value).success || isoDateTime.safeParse(value).success) && Number.isFinite(Date.parse(value));

const instant = (description: string, example: string) =>
  z
    .string()
    .refine(isInstant, { message: 'expected an ISO 8601 date (2026-11-01, read as 00:00 UTC) or a datetime with an offset (2026-11-01T09:30:00Z)' })
    .optional()
    .openapi({ description, example });

const usageQuery = z
  .object({
    from: instant(`Start, inclusive. Default: ${DEFAULT_RANGE_DAYS} days before \`to\`.`, '2026-11-01'),
    to: instant(`End, exclusive. Default: now. At most ${MAX_RANGE_DAYS} days after \`from\`.`, '2026-12-01'),
    group_by: z
      .enum(USAGE_GROUPINGS)
      .default('day')
      .openapi({ description: `\`day\` (UTC) ascending; \`task\`, \`model\` or \`key\` (key id) by cost, highest first. At most ${MAX_GROUPS.day} days or ${MAX_GROUPS.model.toLocaleString('en')} tasks/models/keys; \`has_more\` says when some were left out.` }),
  })
  .strict()
  // Defaults and cross-field rules live here so their errors get the one error shape and name a parameter.
  .transform((query, ctx) => {
    const to = query.to === undefined ? Date.now() : Date.parse(query.to);
    const from = query.from === undefined ? to - DEFAULT_RANGE_DAYS * DAY_MS : Date.parse(query.from);
    // Blame a parameter the caller actually sent: with only `from` given, `to` is the implicit now.
    const param = query.to === undefined ? 'from' : 'to';
    if (from >= to) {
      ctx.addIssue({ code: 'custom', path: [param], message: query.to === undefined ? '"from" must be earlier than now (the default "to")' : '"to" must be later than "from"' });
      return z.NEVER;
    }
    if (to - from > MAX_RANGE_DAYS * DAY_MS) {
      ctx.addIssue({ code: 'custom', path: [param], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
      return z.NEVER;
    }
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: query.group_by };
  });

const rollupFields = {
  requests: z.number().int(),
  items: z.number().int(),
  cached_items: z.number().int(),
  cache_hit_ratio: z.number().nullable().openapi({ description: '`cached_items / items`; null when there were no items' }),
  cost_usd: z.number().openapi({ description: 'What the requests cost (cached items cost 0)' }),
  baseline_cost_usd: z.number().openapi({ description: "What calling each task's default neural model for every item would have cost" }),
  saved_usd: z.number().openapi({ description: '`baseline_cost_usd − cost_usd`: saved by the cache, the local tier or your own endpoint; negative when you chose a dearer model' }),
  neurons: z.number().openapi({ description: 'Workers AI neurons' }),
  latency_p50_ms: z.number().nullable().openapi({ description: 'Median request latency (nearest rank); null when there were no requests' }),
  latency_p99_ms: z.number().nullable().openapi({ description: '99th-percentile request latency (nearest rank); null when there were no requests' }),
};

const usageGroupSchema = z
  .object({ group: z.string().openapi({ description: 'The UTC day (`2026-11-01`), task, model id or key id' }), ...rollupFields })
  .openapi('UsageReportGroup');

const usageSchema = z
  .object({
    object: z.literal('usage'),
    from: z.string().openapi({ description: 'The range start used (inclusive), UTC', example: '2026-11-01T00:00:00.000Z' }),
    to: z.string().openapi({ description: 'The range end used (exclusive), UTC', example: '2026-12-01T00:00:00.000Z' }),
    group_by: z.enum(USAGE_GROUPINGS),
    data: z.array(usageGroupSchema).openapi({ description: 'Only groups with usage; no zero rows for empty days' }),
    has_more: z.boolean().openapi({ description: 'More groups existed than the cap; the cheapest were left out (totals still count them)' }),
    totals: z.object(rollupFields).openapi('UsageReportTotals', { description: 'Over the whole range, every group included' }),
  })
  // 'Usage' is taken: it is the task envelope's per-request usage object.
  .openapi('UsageReport');

type Rollup = z.infer<typeof usageGroupSchema>;

/** Sums of many small floats carry binary noise (6.2399999999e-7); 12 significant digits is honest. */
const money = (value: number) => Number(value.toPrecision(12));

function present(row: UsageRollupRow | undefined): Omit<Rollup, 'group'> {
  if (!row) return { requests: 0, items: 0, cached_items: 0, cache_hit_ratio: null, cost_usd: 0, baseline_cost_usd: 0, saved_usd: 0, neurons: 0, latency_p50_ms: null, latency_p99_ms: null };
  return {
    requests: row.requests,
    items: row.items,
    cached_items: row.cached_items,
    cache_hit_ratio: row.items > 0 ? row.cached_items / row.items : null,
    cost_usd: money(row.cost_usd),
    baseline_cost_usd: money(row.baseline_cost_usd),
    saved_usd: money(row.baseline_cost_usd - row.cost_usd),
    neurons: money(row.neurons),
    latency_p50_ms: row.latency_p50_ms,
    latency_p99_ms: row.latency_p99_ms,
  };
}


export function registerUsage(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/usage',
      tags: ['account'],
      summary: "Your usage, cost and savings over a range, per day, task, model or key",
      description:
        'Rollups of your metered requests: counts, cache hits, cost, what the default neural models would have cost, and latency percentiles. ' +
        'Needs a secret key; answers even when the daily budget is spent. Events arrive through a queue, so the last second or so may be missing.',
      security: [{ apiKey: [] }],
      middleware: [apiKeyFormat()] as const,
      request: { query: usageQuery },
      responses: {
        200: { description: 'The rollups', content: { 'application/json': { schema: usageSchema } } },
        400: error('Invalid `from`, `to` or `group_by`; `param` names it'),
        401: error('Missing, unknown or revoked API key'),
        403: error('A publishable key (account data needs a secret key)'),
        429: error('Rate limit exceeded; see `Retry-After`'),
      },
    }),
    async (c) => {
      const { from, to, group_by } = c.req.valid('query');
      const { key } = await admitAccountRequest(c);
      // The tenant comes from the key, never from the request: a tenant sees only its own rows.
      const rollups = await usageRollups(c.env.DB, { tenantId: key.tenantId, from, to }, group_by);
      return c.json(
        {
          object: 'usage' as const,
          from,
          to,
          group_by,
          data: rollups.groups.map((row) => ({ group: row.group, ...present(row) })),
          has_more: rollups.hasMore,
          totals: present(rollups.totals),
        },
        200,
      );
    },
  );
}
