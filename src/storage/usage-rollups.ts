/**
 * Usage rollups over D1 `usage_events`: sums and latency percentiles per group, computed in SQL so
 * a year of events never travels to the Worker — only one row per group does.
 */

export const USAGE_GROUPINGS = ['day', 'task', 'model', 'key'] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

/**
 * At most this many groups per answer. A 366-day range has at most 367 UTC days, so `day` is never
 * cut; `model` and `key` could grow without bound, so the costliest 1,000 are returned.
 */
export const MAX_GROUPS: Record<UsageGrouping, number> = { day: 400, task: 1_000, model: 1_000, key: 1_000 };

/**
 * The SQL expression each grouping partitions by. Fixed strings, never caller input, so they may be
 * interpolated. `created_at` is always `Date#toISOString()` (UTC, `Z`), so its first 10 characters
 * are the UTC day.
 */
const GROUP_EXPRESSION: Record<UsageGrouping | 'all', string> = {
  day: 'substr(created_at, 1, 10)',
  task: 'task',
  model: 'model',
  key: 'key_id',
  all: "'all'",
};

/** Days read as a timeline; everything else is "where did the money go". */
const ORDER: Record<UsageGrouping | 'all', string> = {
  day: 'grp ASC',
  task: 'cost_usd DESC, requests DESC, grp ASC',
  model: 'cost_usd DESC, requests DESC, grp ASC',
  key: 'cost_usd DESC, requests DESC, grp ASC',
  all: 'grp ASC',
};

export interface UsageRollupRow {
  group: string;
  requests: number;
  items: number;
  cached_items: number;
  cost_usd: number;
  baseline_cost_usd: number;
  neurons: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
}

export interface UsageRange {
  tenantId: string;
  /** Inclusive, `toISOString()` form. */
  from: string;
  /** Exclusive, `toISOString()` form. */
  to: string;
}

/**
 * Nearest-rank percentiles: the value at rank ceil(p/100 · n) of the group's latencies in
 * ascending order. `(p * n + 99) / 100` is that ceiling in integer arithmetic (SQLite divides
 * integers exactly), so no float rounding can pick the wrong rank. Both window functions share one
 * window, so SQLite sorts the range once; the WHERE uses the (tenant_id, created_at) index.
 */
function rollupSql(grouping: UsageGrouping | 'all'): string {
  const expression = GROUP_EXPRESSION[grouping];
  return `
    SELECT grp,
           COUNT(*) AS requests,
           TOTAL(items) AS items,
           TOTAL(cached_items) AS cached_items,
           TOTAL(cost_usd) AS cost_usd,
           TOTAL(baseline_cost_usd) AS baseline_cost_usd,
           TOTAL(neurons) AS neurons,
           MAX(CASE WHEN row_rank = (50 * n + 99) / 100 THEN latency_ms END) AS latency_p50_ms,
           MAX(CASE WHEN row_rank = (99 * n + 99) / 100 THEN latency_ms END) AS latency_p99_ms
      FROM (
        SELECT ${expression} AS grp, items, cached_items, cost_usd, baseline_cost_usd, neurons, latency_ms,
               ROW_NUMBER() OVER by_latency AS row_rank,
               COUNT(*) OVER (by_latency ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
          FROM usage_events
         WHERE tenant_id = ?1 AND created_at >= ?2 AND created_at < ?3
        WINDOW by_latency AS (PARTITION BY ${expression} ORDER BY latency_ms)
      )
     GROUP BY grp
     ORDER BY ${ORDER[grouping]}
     LIMIT ?4`;
}

/** A row as SQL names it: `group` is a keyword there. */
type SqlRow = Omit<UsageRollupRow, 'group'> & { grp: string };

const toRollup = ({ grp, ...rest }: SqlRow): UsageRollupRow => ({ group: grp, ...rest });

export interface UsageRollups {
  groups: UsageRollupRow[];
  /** More groups existed than `MAX_GROUPS[grouping]`; the cheapest were left out. */
  hasMore: boolean;
  /** Over every event in the range (not only the returned groups); undefined when there were none. */
  totals: UsageRollupRow | undefined;
}

/** One D1 round trip: the grouped rollup and the overall one (percentiles cannot be summed). */
export async function usageRollups(db: D1Database, range: UsageRange, grouping: UsageGrouping): Promise<UsageRollups> {
  const cap = MAX_GROUPS[grouping];
  const bind = (sql: string, limit: number) => db.prepare(sql).bind(range.tenantId, range.from, range.to, limit);
  // One extra row tells whether the cap cut anything off.
  const [grouped, overall] = await db.batch<SqlRow>([bind(rollupSql(grouping), cap + 1), bind(rollupSql('all'), 1)]);
  const rows = grouped!.results;
  const totalsRow = overall!.results[0];
  return { groups: rows.slice(0, cap).map(toRollup), hasMore: rows.length > cap, totals: totalsRow ? toRollup(totalsRow) : undefined };
}
