import type { TaskName } from '../contracts/task-names';

/** How an inbound delivery's signature is checked (webhooks.verify_scheme). */
export const VERIFY_SCHEMES = ['standard', 'github', 'stripe', 'hmac-sha256'] as const;
export type VerifyScheme = (typeof VERIFY_SCHEMES)[number];

export interface HookTask {
  task: TaskName;
  /** A dotted path into the inbound payload, or request field → path. */
  input: string | Record<string, string>;
  options?: Record<string, unknown>;
}

/** A hook as stored; secrets still encrypted (decrypted only where they are used). */
export interface Hook {
  id: string;
  tenantId: string;
  name: string;
  verify: {
    scheme: VerifyScheme;
    secretEncrypted: string;
    /** The secret being rotated out, valid until `previousExpiresAt`. */
    previousSecretEncrypted: string | null;
    previousExpiresAt: string | null;
  } | null;
  tasks: HookTask[];
  events: string[];
  destinationUrl: string;
  signingSecretEncrypted: string;
  /** After a rotation: the old signing secret, also signing deliveries until `signingPreviousExpiresAt`. */
  signingPreviousSecretEncrypted: string | null;
  signingPreviousExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface HookRow {
  id: string;
  tenant_id: string;
  name: string;
  verify_scheme: VerifyScheme | null;
  verify_secret_encrypted: string | null;
  verify_previous_secret_encrypted: string | null;
  verify_previous_expires_at: string | null;
  tasks: string;
  events: string;
  destination_url: string;
  signing_secret_encrypted: string;
  signing_previous_secret_encrypted: string | null;
  signing_previous_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

function fromRow(row: HookRow): Hook {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    verify:
      row.verify_scheme && row.verify_secret_encrypted
        ? {
            scheme: row.verify_scheme,
            secretEncrypted: row.verify_secret_encrypted,
            previousSecretEncrypted: row.verify_previous_secret_encrypted,
            previousExpiresAt: row.verify_previous_expires_at,
          }
        : null,
    tasks: JSON.parse(row.tasks) as HookTask[],
    events: JSON.parse(row.events) as string[],
    destinationUrl: row.destination_url,
    signingSecretEncrypted: row.signing_secret_encrypted,
    signingPreviousSecretEncrypted: row.signing_previous_secret_encrypted,
    signingPreviousExpiresAt: row.signing_previous_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const COLUMNS = `id, tenant_id, name, verify_scheme, verify_secret_encrypted, verify_previous_secret_encrypted, verify_previous_expires_at,
  tasks, events, destination_url, signing_secret_encrypted, signing_previous_secret_encrypted, signing_previous_expires_at, created_at, updated_at`;

function values(hook: Hook): unknown[] {
  return [
    hook.id,
    hook.tenantId,
    hook.name,
    hook.verify?.scheme ?? null,
    hook.verify?.secretEncrypted ?? null,
    hook.verify?.previousSecretEncrypted ?? null,
    hook.verify?.previousExpiresAt ?? null,
    JSON.stringify(hook.tasks),
    JSON.stringify(hook.events),
    hook.destinationUrl,
    hook.signingSecretEncrypted,
    hook.signingPreviousSecretEncrypted,
    hook.signingPreviousExpiresAt,
    hook.createdAt,
    hook.updatedAt,
  ];
}

export async function insertHook(db: D1Database, hook: Hook): Promise<void> {
  await db.prepare(`INSERT INTO webhooks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).bind(...values(hook)).run();
}

/** Replaces every column of an existing hook of the same tenant. */
export async function saveHook(db: D1Database, hook: Hook): Promise<void> {
  const [id, tenantId, ...rest] = values(hook);
  await db
    .prepare(
      `UPDATE webhooks SET name = ?, verify_scheme = ?, verify_secret_encrypted = ?, verify_previous_secret_encrypted = ?, verify_previous_expires_at = ?,
         tasks = ?, events = ?, destination_url = ?, signing_secret_encrypted = ?, signing_previous_secret_encrypted = ?,
         signing_previous_expires_at = ?, created_at = ?, updated_at = ?
       WHERE id = ? AND tenant_id = ?`,
    )
    .bind(...rest, id, tenantId)
    .run();
}

/** A hook by id alone: for the inbound endpoint and the queue consumer, which have no API key. */
export async function getHookById(db: D1Database, id: string): Promise<Hook | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM webhooks WHERE id = ?`).bind(id).first<HookRow>();
  return row ? fromRow(row) : null;
}

/** A tenant's hook: another tenant's id reads as missing. */
export async function getHook(db: D1Database, tenantId: string, id: string): Promise<Hook | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM webhooks WHERE id = ? AND tenant_id = ?`).bind(id, tenantId).first<HookRow>();
  return row ? fromRow(row) : null;
}

export async function listHooks(db: D1Database, tenantId: string): Promise<Hook[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM webhooks WHERE tenant_id = ? ORDER BY created_at, id`).bind(tenantId).all<HookRow>();
  return results.map(fromRow);
}

/** The tenant's hooks subscribed to an event type. */
export async function hooksForEvent(db: D1Database, tenantId: string, type: string): Promise<Hook[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM webhooks WHERE tenant_id = ? AND EXISTS (SELECT 1 FROM json_each(webhooks.events) WHERE json_each.value = ?)`)
    .bind(tenantId, type)
    .all<HookRow>();
  return results.map(fromRow);
}

/** Deletes the hook with its receipts, deliveries and attempts; false when the tenant has no such hook. */
export async function deleteHook(db: D1Database, tenantId: string, id: string): Promise<boolean> {
  const [deleted] = await db.batch([
    db.prepare('DELETE FROM webhooks WHERE id = ? AND tenant_id = ?').bind(id, tenantId),
    db.prepare('DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE hook_id = ? AND tenant_id = ?)').bind(id, tenantId),
    db.prepare('DELETE FROM webhook_deliveries WHERE hook_id = ? AND tenant_id = ?').bind(id, tenantId),
    // Receipts carry no tenant: removed only once the hook itself is gone (the batch runs in order).
    db.prepare('DELETE FROM webhook_receipts WHERE hook_id = ? AND NOT EXISTS (SELECT 1 FROM webhooks WHERE id = ?)').bind(id, id),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}
