import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { readBoundedBody } from '../http/bounded-body';
import { refuseEncodedBody } from '../http/json-body';
import { errorResponse as error } from '../http/error-responses';
import { newId } from '../security/crypto';
import { decryptSecret } from '../security/secrets';
import { claimExpiresInSeconds, claimReceipt, markReceiptQueued, releaseReceipt } from '../storage/webhook-receipts';
import { getHookById, type Hook } from '../storage/webhooks';
import { deliveryKeyOf, receiptKeyOf } from './delivery-key';
import type { JobMessage } from '../contracts/queue-messages';
import { secretContext } from './types';
import { verifySignature } from './verify';

/** Largest inbound body: the payload travels inside the queue message (128 KB at most). */
export const MAX_INBOUND_BODY_BYTES = 64 * 1024;

const accepted = z.object({ job_id: z.string(), duplicate: z.boolean().optional() });

/** Reads the raw body (signatures are over its exact bytes), stopping past the limit whatever Content-Length says. */
async function readLimited(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new ApiError(413, 'body_too_large', `The webhook body is larger than ${maxBytes} bytes`);
  if (Number(request.headers.get('content-length')) > maxBytes) throw tooLarge();
  if (!request.body) return '';
  const bytes = await readBoundedBody(request.body, maxBytes);
  if (!bytes) throw tooLarge();
  return new TextDecoder().decode(bytes);
}

/** The inbound secret, and during a rotation the previous one. */
async function validSecrets(env: AppEnv['Bindings'], hook: Hook): Promise<string[]> {
  const verify = hook.verify!;
  const context = secretContext(hook, 'verify');
  const secrets = [await decryptSecret(env, verify.secretEncrypted, context)];
  if (verify.previousSecretEncrypted && verify.previousExpiresAt && Date.parse(verify.previousExpiresAt) > Date.now()) {
    secrets.push(await decryptSecret(env, verify.previousSecretEncrypted, context));
  }
  return secrets;
}

export function registerInboundRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/hooks/{hookId}',
      tags: ['webhooks'],
      summary: 'Inbound webhook: verified by its signature, answered 202 once the job is queued',
      description:
        'No API key: the signature of the configured scheme is the authentication. A delivery seen before is acknowledged (200, `duplicate: true`) and not processed again: ' +
        'the same id for `standard` and `stripe`, the same signed body for `github` and `hmac-sha256` (whatever id comes with it). ' +
        `JSON bodies of at most ${MAX_INBOUND_BODY_BYTES} bytes.`,
      request: { params: z.object({ hookId: z.string().max(64).openapi({ param: { name: 'hookId', in: 'path' } }) }) },
      responses: {
        202: { description: 'Verified and queued', content: { 'application/json': { schema: accepted } } },
        200: { description: 'A repeat of a delivery already queued', content: { 'application/json': { schema: accepted } } },
        400: error('The body is not JSON'),
        401: error('Missing or wrong signature, or a timestamp outside the tolerance'),
        404: error('No such webhook (or it has no tasks)'),
        409: error('The same delivery is being accepted right now; retry after Retry-After seconds (a claim left by a failed attempt expires within 60 s)'),
        413: error('Body too large'),
        415: error('Not a JSON content type, or a compressed body'),
        503: error('The job queue is unavailable; retry'),
      },
    }),
    async (c) => {
      const hook = await getHookById(c.env.DB, c.req.valid('param').hookId);
      if (!hook || !hook.verify || hook.tasks.length === 0) throw new ApiError(404, 'webhook_not_found', 'No such webhook');
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) throw new ApiError(415, 'unsupported_media_type', 'Send the webhook as JSON ("Content-Type: application/json")');
      refuseEncodedBody(c.req.header('content-encoding'));
      const body = await readLimited(c.req.raw, MAX_INBOUND_BODY_BYTES);

      const headers = c.req.raw.headers;
      const verdict = await verifySignature(hook.verify.scheme, await validSecrets(c.env, hook), { headers, body, nowSeconds: Math.floor(Date.now() / 1000) });
      if (!verdict.ok) throw new ApiError(401, 'invalid_signature', `Signature check failed (${hook.verify.scheme}): ${verdict.reason}`);

      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        throw new ApiError(400, 'invalid_json', 'The body is not valid JSON');
      }
      const deliveryKey = await deliveryKeyOf(hook.verify.scheme, headers, payload, body);
      const receiptKey = await receiptKeyOf(hook.verify.scheme, headers, body, deliveryKey);
      const jobId = newId('job');
      const claim = await claimReceipt(c.env.DB, hook.id, receiptKey, jobId);
      if (!claim.claimed) {
        if (claim.existing.state === 'queued') return c.json({ job_id: claim.existing.job_id, duplicate: true }, 200);
        const wait = String(claimExpiresInSeconds(claim.existing.received_at));
        throw new ApiError(409, 'delivery_in_progress', `This delivery is being accepted by another request; retry in ${wait} s`, { headers: { 'Retry-After': wait } });
      }
      const message: JobMessage = { kind: 'job', jobId, hookId: hook.id, tenantId: hook.tenantId, deliveryKey, receiptKey, payload, receivedAt: new Date().toISOString(), deferrals: 0 };
      try {
        await c.env.JOBS.send(message);
      } catch (cause) {
        // Not queued, so not acknowledged: free the id so the sender's retry is processed.
        await releaseReceipt(c.env.DB, hook.id, receiptKey, jobId);
        console.error(JSON.stringify({ level: 'error', request_id: c.get('requestId'), hook_id: hook.id, error: String(cause) }));
        throw new ApiError(503, 'queue_unavailable', 'The job could not be queued; retry', { headers: { 'Retry-After': '5' } });
      }
      await markReceiptQueued(c.env.DB, hook.id, receiptKey);
      return c.json({ job_id: jobId }, 202);
    },
  );
}
