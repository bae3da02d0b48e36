import type { Hook } from '../storage/webhooks';

/** Additional data binding an encrypted secret to its tenant, hook and purpose. */
export const secretContext = (hook: Pick<Hook, 'tenantId' | 'id'>, purpose: 'verify' | 'signing') => `webhook:${hook.tenantId}:${hook.id}:${purpose}`;
