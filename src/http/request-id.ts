import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../contracts/env';

/** What a caller's own correlation id may look like: echoed back, never trusted as ours. */
const CLIENT_ID = /^[\w\-=.:]{1,128}$/;

/**
 * Every request gets a fresh server-generated id (`x-request-id`, the envelope `id`, the usage
 * record's key). A caller's own id — `x-client-request-id`, or an `x-request-id` it sent — is
 * echoed as `x-client-request-id` for correlation. Taking the caller's id as ours would let two
 * requests share one usage record, and the second would go unrecorded.
 */
export function requestId() {
  return createMiddleware<AppEnv>(async function requestId(c, next) {
    const id = `req_${crypto.randomUUID().replaceAll('-', '')}`;
    c.set('requestId', id);
    c.header('x-request-id', id);
    const clientId = c.req.header('x-client-request-id') ?? c.req.header('x-request-id');
    if (clientId && CLIENT_ID.test(clientId)) c.header('x-client-request-id', clientId);
    await next();
  });
}
