import type { VisitorLimits } from '../contracts/policy';
import { newId, randomBase62, sha256Hex } from '../security/crypto';
import { kvKeys } from './kv-keys';
import { MemoryCache } from './memory-cache';

export type { VisitorLimits };
export type KeyKind = 'secret' | 'publishable';

/** What a presented key resolves to. Never contains the key or its hash. */
export interface AuthenticatedKey {
  id: string;
  tenantId: string;
  kind: KeyKind;
  scopes: string[];
  origins: string[];
  /** Publishable keys: per-visitor limits chosen for this key; absent = the defaults. */
  visitorLimits?: VisitorLimits;
  /** Publishable keys: the Turnstile secret, still AES-GCM sealed; absent = bot protection off. */
  turnstileSecretSealed?: string;
  /** Secret keys: every request admitted by the tenant's guard, never from an isolate's lease. */
  exactAdmission?: true;
}

/** A key as issued: what a listing shows, and the full key, returned to the caller once and never stored. */
export type IssuedKey = Omit<KeySummary, 'revoked_at'> & { key: string };

const KIND_PREFIX: Record<KeyKind, string> = { secret: 'sk_', publishable: 'pk_' };
/** `sk_` or `pk_` followed by 32 base62 characters (~190 bits). */
export const KEY_PATTERN = /^(sk|pk)_[0-9A-Za-z]{32}$/;
/** How much of a key is kept in clear to tell keys apart in listings. */
const VISIBLE_PREFIX_LENGTH = 11;
/** Entries live briefly: revocation is enforced by the tenant's Durable Object regardless. */
const ISOLATE_TTL_MS = 30_000;
const NEGATIVE_TTL_MS = 5_000;
const KV_TTL_SECONDS = 24 * 60 * 60;

const isolateCache = new MemoryCache<AuthenticatedKey | null>(10_000);

interface KeyRow {
  id: string;
  tenant_id: string;
  kind: KeyKind;
  prefix: string;
  hash: string;
  scopes: string;
  origins: string;
  visitor_rpm: number | null;
  visitor_burst: number | null;
  turnstile_secret_encrypted: string | null;
  exact_admission: number;
  created_at: string;
  revoked_at: string | null;
}

function visitorLimitsOf(row: KeyRow): VisitorLimits | null {
  return row.visitor_rpm !== null && row.visitor_burst !== null ? { rpm: row.visitor_rpm, burst: row.visitor_burst } : null;
}

function toAuthenticated(row: KeyRow): AuthenticatedKey {
  const visitorLimits = visitorLimitsOf(row);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    scopes: JSON.parse(row.scopes) as string[],
    origins: JSON.parse(row.origins) as string[],
    ...(visitorLimits ? { visitorLimits } : {}),
    ...(row.turnstile_secret_encrypted ? { turnstileSecretSealed: row.turnstile_secret_encrypted } : {}),
    ...(row.exact_admission === 1 ? { exactAdmission: true as const } : {}),
  };
}

export async function issueKey(
  db: D1Database,
  tenantId: string,
  input: { kind: KeyKind; scopes: string[]; origins: string[]; key?: string; visitorLimits?: VisitorLimits; turnstileSecretSealed?: string; exactAdmission?: boolean },
): Promise<IssuedKey> {
  const key = input.key ?? `${KIND_PREFIX[input.kind]}${randomBase62(32)}`;
  const issued: IssuedKey = {
    id: newId('key'),
    key,
    prefix: key.slice(0, VISIBLE_PREFIX_LENGTH),
    kind: input.kind,
    scopes: input.scopes,
    origins: input.origins,
    visitor_limits: input.visitorLimits ?? null,
    turnstile: Boolean(input.turnstileSecretSealed),
    exact_admission: input.exactAdmission === true,
    created_at: new Date().toISOString(),
  };
  await db
    .prepare(
      `INSERT INTO api_keys (id, tenant_id, kind, prefix, hash, scopes, origins, visitor_rpm, visitor_burst, turnstile_secret_encrypted, exact_admission, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      issued.id, tenantId, issued.kind, issued.prefix, await sha256Hex(key), JSON.stringify(issued.scopes), JSON.stringify(issued.origins),
      input.visitorLimits?.rpm ?? null, input.visitorLimits?.burst ?? null, input.turnstileSecretSealed ?? null, issued.exact_admission ? 1 : 0, issued.created_at,
    )
    .run();
  return issued;
}

/**
 * Resolves a presented key: isolate memory, then KV, then D1 (the source of truth), filling the
 * faster layers on the way back. Returns null for unknown or revoked keys.
 */
export async function findKey(env: { CACHE: KVNamespace; DB: D1Database }, presented: string): Promise<AuthenticatedKey | null> {
  const hash = await sha256Hex(presented);
  const remembered = isolateCache.get(hash);
  if (remembered !== undefined) return remembered;

  const fromKv = await env.CACHE.get<AuthenticatedKey>(kvKeys.apiKey(hash), 'json');
  if (fromKv) {
    isolateCache.set(hash, fromKv, ISOLATE_TTL_MS);
    return fromKv;
  }

  const row = await env.DB.prepare('SELECT * FROM api_keys WHERE hash = ?').bind(hash).first<KeyRow>();
  if (!row || row.revoked_at) {
    isolateCache.set(hash, null, NEGATIVE_TTL_MS);
    return null;
  }
  const key = toAuthenticated(row);
  await env.CACHE.put(kvKeys.apiKey(hash), JSON.stringify(key), { expirationTtl: KV_TTL_SECONDS });
  isolateCache.set(hash, key, ISOLATE_TTL_MS);
  return key;
}

/** Marks the key revoked in D1 and drops its KV entry. Returns its tenant, or null if unknown. */
export async function revokeKey(env: { CACHE: KVNamespace; DB: D1Database }, keyId: string): Promise<{ tenantId: string } | null> {
  const row = await env.DB.prepare('SELECT id, tenant_id, hash FROM api_keys WHERE id = ?')
    .bind(keyId)
    .first<{ id: string; tenant_id: string; hash: string }>();
  if (!row) return null;
  await env.DB.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?')
    .bind(new Date().toISOString(), keyId)
    .run();
  await env.CACHE.delete(kvKeys.apiKey(row.hash));
  isolateCache.delete(row.hash);
  return { tenantId: row.tenant_id };
}

/** Ids of a tenant's revoked keys, so a fresh Durable Object instance starts with the full set. */
export async function listRevokedKeyIds(db: D1Database, tenantId: string): Promise<string[]> {
  const { results } = await db.prepare('SELECT id FROM api_keys WHERE tenant_id = ? AND revoked_at IS NOT NULL')
    .bind(tenantId)
    .all<{ id: string }>();
  return results.map((row) => row.id);
}

export interface KeySummary {
  id: string;
  prefix: string;
  kind: KeyKind;
  scopes: string[];
  origins: string[];
  visitor_limits: VisitorLimits | null;
  turnstile: boolean;
  exact_admission: boolean;
  created_at: string;
  revoked_at: string | null;
}

export async function listKeys(db: D1Database, tenantId: string): Promise<KeySummary[]> {
  const { results } = await db.prepare('SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at').bind(tenantId).all<KeyRow>();
  return results.map(summaryOf);
}

function summaryOf(row: KeyRow): KeySummary {
  return {
    id: row.id,
    prefix: row.prefix,
    kind: row.kind,
    scopes: JSON.parse(row.scopes) as string[],
    origins: JSON.parse(row.origins) as string[],
    visitor_limits: visitorLimitsOf(row),
    turnstile: row.turnstile_secret_encrypted !== null,
    exact_admission: row.exact_admission === 1,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

export interface KeyChanges {
  scopes?: string[];
  origins?: string[];
  /** null = back to the defaults. */
  visitorLimits?: VisitorLimits | null;
  /** null = Turnstile off. */
  turnstileSecretSealed?: string | null;
  exactAdmission?: boolean;
}

/** A key's row as the admin API shows it, with its tenant; null if there is no such key. */
export async function getKeySummary(db: D1Database, keyId: string): Promise<(KeySummary & { tenant_id: string }) | null> {
  const row = await db.prepare('SELECT * FROM api_keys WHERE id = ?').bind(keyId).first<KeyRow>();
  return row ? { ...summaryOf(row), tenant_id: row.tenant_id } : null;
}

/**
 * Changes a key in D1 and drops its KV and isolate entries, so the next lookup reads the change.
 * Other isolates may serve their remembered copy for up to ISOLATE_TTL_MS (30 s).
 */
export async function updateKey(env: { CACHE: KVNamespace; DB: D1Database }, keyId: string, changes: KeyChanges): Promise<KeySummary | null> {
  const sets: string[] = [];
  const values: (string | number | null)[] = [];
  const set = (column: string, value: string | number | null) => {
    sets.push(`${column} = ?`);
    values.push(value);
  };
  if (changes.scopes) set('scopes', JSON.stringify(changes.scopes));
  if (changes.origins) set('origins', JSON.stringify(changes.origins));
  if (changes.visitorLimits !== undefined) {
    set('visitor_rpm', changes.visitorLimits?.rpm ?? null);
    set('visitor_burst', changes.visitorLimits?.burst ?? null);
  }
  if (changes.turnstileSecretSealed !== undefined) set('turnstile_secret_encrypted', changes.turnstileSecretSealed);
  if (changes.exactAdmission !== undefined) set('exact_admission', changes.exactAdmission ? 1 : 0);
  const row = sets.length
    ? await env.DB.prepare(`UPDATE api_keys SET ${sets.join(', ')} WHERE id = ? RETURNING *`).bind(...values, keyId).first<KeyRow>()
    : await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?').bind(keyId).first<KeyRow>();
  if (!row) return null;
  await env.CACHE.delete(kvKeys.apiKey(row.hash));
  isolateCache.delete(row.hash);
  return summaryOf(row);
}
