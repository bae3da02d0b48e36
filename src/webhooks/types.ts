import type { TaskName } from '../contracts/task-names';

export const VERIFY_SCHEMES = ['standard', 'github', 'stripe', 'hmac-sha256'] as const;
export type VerifyScheme = (typeof VERIFY_SCHEMES)[number];

/**
 * Tenant events a hook can subscribe to. Every `recordNotification(env, tenant, type, …)` type
 * belongs here, so a typo in a hook's `events` is a 400 instead of a silent never-delivered hook.
 */
export const TENANT_EVENT_TYPES = ['budget.soft_limit', 'conversation.handoff'] as const;
export type TenantEventType = (typeof TENANT_EVENT_TYPES)[number];

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

/** Additional data binding an encrypted secret to its tenant, hook and purpose. */
export const secretContext = (hook: Pick<Hook, 'tenantId' | 'id'>, purpose: 'verify' | 'signing') => `webhook:${hook.tenantId}:${hook.id}:${purpose}`;
