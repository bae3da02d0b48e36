/**
 * Tenant events a hook can subscribe to. Every `emitTenantEvent(env, tenant, type, …)` type
 * belongs here, so a typo in a hook's `events` is a 400 instead of a silent never-delivered hook.
 */
export const TENANT_EVENT_TYPES = ['budget.soft_limit', 'conversation.handoff', 'batch.completed', 'batch.cancelled'] as const;
export type TenantEventType = (typeof TENANT_EVENT_TYPES)[number];
