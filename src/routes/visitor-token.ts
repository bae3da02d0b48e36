import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { DEFAULT_VISITOR_LIMITS } from '../contracts/policy';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { clientIpOf, ipVisitorId, TURNSTILE_HEADER } from '../admission/visitors';
import { admit, authenticate, checkOrigin } from '../admission/admit';
import { apiKeyFormat } from '../http/api-key-format';
import { taskErrorResponses } from '../http/error-responses';
import { noBody } from '../http/no-body';
import { randomBase62 } from '../security/crypto';
import { verifyTurnstile } from '../security/turnstile';
import { signVisitorToken, VISITOR_TOKEN_TTL_SECONDS } from '../security/visitor-token';

const tokenSchema = z
  .object({
    token: z.string().openapi({ description: 'Send it as the x-minnow-visitor header with this key' }),
    visitor_id: z.string(),
    expires_at: z.string().openapi({ description: 'ISO time; ask for a new token before then' }),
    expires_in: z.number().int().openapi({ description: 'Seconds until it expires' }),
  })
  .openapi('VisitorToken');

/**
 * POST /v1/visitor-token: a short-lived signed token that names this browser visitor, for a
 * publishable key. With it, the visitor has a bucket of its own that follows it across IPs, drawn
 * from together with the bucket of the IP it calls from (a token narrows, never widens, what an IP
 * may do), and on a key with Turnstile one passed check covers the token's lifetime (Turnstile
 * tokens are single-use). Minting draws from the IP's bucket like any request, so tokens cannot
 * be minted faster than that IP could call a task.
 */
export function registerVisitorToken(app: OpenAPIHono<AppEnv>): void {
  const route = createRoute({
    method: 'post',
    path: '/v1/visitor-token',
    tags: ['browser'],
    summary: 'Issue a visitor token for a publishable key',
    description: `Publishable keys only, from an allowed origin. On a key with Turnstile, send the widget's token in \`${TURNSTILE_HEADER}\`. The token lasts ${VISITOR_TOKEN_TTL_SECONDS / 60} minutes and only works with the key that asked for it. ` +
      'Takes no body (none, or `{}`): a field sent is 400 `unknown_field`.',
    security: [{ apiKey: [] }],
    middleware: [apiKeyFormat(), noBody('POST /v1/visitor-token', `the Turnstile token goes in the ${TURNSTILE_HEADER} header`)] as const,
    responses: { 200: { description: 'A visitor token', content: { 'application/json': { schema: tokenSchema } } }, ...taskErrorResponses },
  });
  app.openapi(route, async (c) => {
    const key = await authenticate(c);
    if (key.kind !== 'publishable') {
      throw new ApiError(403, 'publishable_key_required', 'Visitor tokens are for browser visitors of a publishable key (pk_…); a server with a secret key has no per-visitor limits');
    }
    checkOrigin(c, key);
    const ip = clientIpOf(c);
    if (key.turnstileSecretSealed) {
      await verifyTurnstile(c.env, { tenantId: key.tenantId, sealedSecret: key.turnstileSecretSealed, token: c.req.header(TURNSTILE_HEADER), ip });
    }
    await admit(c, key, false, undefined, { id: await ipVisitorId(key, ip), limits: key.visitorLimits ?? DEFAULT_VISITOR_LIMITS });
    const visitorId = `vis_${randomBase62(20)}`;
    const expiresAt = Math.floor(Date.now() / 1000) + VISITOR_TOKEN_TTL_SECONDS;
    const token = await signVisitorToken(c.env, { visitorId, keyId: key.id, expiresAt, human: Boolean(key.turnstileSecretSealed) });
    c.header('Cache-Control', 'no-store');
    return c.json({ token, visitor_id: visitorId, expires_at: new Date(expiresAt * 1000).toISOString(), expires_in: VISITOR_TOKEN_TTL_SECONDS }, 200);
  });
}
