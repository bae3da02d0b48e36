import { MemoryCache } from './memory-cache';

/**
 * Per-tenant model aliases (migration 0008): a name OpenAI code already sends (`text-embedding-3-small`,
 * `gpt-4o-mini`) and what answers it. Every query filters on the tenant: another tenant's alias is
 * invisible.
 */

/** Which OpenAI-compatible route answers the alias: `/v1/embeddings` or `/v1/chat/completions`. */
export type ModelAliasKind = 'embedding' | 'chat';

export interface ModelAlias {
  alias: string;
  kind: ModelAliasKind;
  /** A catalog embedding model, a catalog chat model, or one of the tenant's bots (`bot_…`). */
  target: string;
  createdAt: string;
  updatedAt: string;
}

/** At most this many aliases per tenant: each is read on every aliased request and listed in /v1/models. */
export const MAX_MODEL_ALIASES = 50;
/**
 * What an alias may be called: OpenAI-style names (`gpt-4o-mini-2024-07-18`, `ft:gpt-4o-mini:org::id`),
 * at most 64 characters. No `/` or `@`, so no alias can look like a catalog model id (`@cf/…`, `org/name`).
 */
export const MODEL_ALIAS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

interface ModelAliasRow {
  tenant_id: string;
  alias: string;
  kind: ModelAliasKind;
  target: string;
  created_at: string;
  updated_at: string;
}

const fromRow = (row: ModelAliasRow): ModelAlias => ({ alias: row.alias, kind: row.kind, target: row.target, createdAt: row.created_at, updatedAt: row.updated_at });

/**
 * Aliases are read on every request that names one, so each isolate keeps a tenant's list briefly:
 * a change applies at once in the isolate that made it and within this long everywhere else.
 */
export const MODEL_ALIAS_TTL_MS = 30_000;
const isolateCache = new MemoryCache<ModelAlias[]>(10_000);

/** The tenant's aliases, by name, read from D1 (and remembered in this isolate). */
export async function listModelAliases(db: D1Database, tenantId: string): Promise<ModelAlias[]> {
  const { results } = await db.prepare('SELECT * FROM model_aliases WHERE tenant_id = ? ORDER BY alias').bind(tenantId).all<ModelAliasRow>();
  const aliases = results.map(fromRow);
  isolateCache.set(tenantId, aliases, MODEL_ALIAS_TTL_MS);
  return aliases;
}

/** The tenant's aliases for serving a request: from this isolate's memory when it read them lately. */
export async function cachedModelAliases(db: D1Database, tenantId: string): Promise<ModelAlias[]> {
  return isolateCache.get(tenantId) ?? listModelAliases(db, tenantId);
}

/**
 * Creates or replaces an alias. The cap is part of the one statement (a replacement always fits,
 * a new alias only below `MAX_MODEL_ALIASES`), so concurrent writes cannot pass it together.
 * Returns null when the tenant already has `MAX_MODEL_ALIASES` others.
 */
export async function putModelAlias(db: D1Database, tenantId: string, alias: { alias: string; kind: ModelAliasKind; target: string }): Promise<ModelAlias | null> {
  const row = await db
    .prepare(
      `INSERT INTO model_aliases (tenant_id, alias, kind, target, created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?5
       WHERE EXISTS (SELECT 1 FROM model_aliases WHERE tenant_id = ?1 AND alias = ?2)
          OR (SELECT COUNT(*) FROM model_aliases WHERE tenant_id = ?1) < ?6
       ON CONFLICT (tenant_id, alias) DO UPDATE SET kind = excluded.kind, target = excluded.target, updated_at = excluded.updated_at
       RETURNING *`,
    )
    .bind(tenantId, alias.alias, alias.kind, alias.target, new Date().toISOString(), MAX_MODEL_ALIASES)
    .first<ModelAliasRow>();
  isolateCache.delete(tenantId);
  return row ? fromRow(row) : null;
}

export async function deleteModelAlias(db: D1Database, tenantId: string, alias: string): Promise<boolean> {
  const result = await db.prepare('DELETE FROM model_aliases WHERE tenant_id = ? AND alias = ?').bind(tenantId, alias).run();
  isolateCache.delete(tenantId);
  return (result.meta.changes ?? 0) > 0;
}

/** `a → b, c → d` (or `none`): how an error message names a tenant's aliases. */
export const describeAliases = (aliases: ModelAlias[]): string => (aliases.length ? aliases.map((entry) => `${entry.alias} → ${entry.target}`).join(', ') : 'none');
