import type { Bindings } from '../../contracts/env';
import { sha256Hex } from '../../security/crypto';
import type { AuthThrottle } from './auth-throttle';

/**
 * The AuthThrottle of one client address for one kind of credential. The object is named by a
 * hash of the address, so no address is stored; a request without CF-Connecting-IP (only outside
 * Cloudflare) shares the "unknown" address's object, which errs towards throttling.
 */
export async function authThrottleFor(env: Pick<Bindings, 'AUTH_THROTTLE'>, kind: 'admin', ip: string | undefined): Promise<DurableObjectStub<AuthThrottle>> {
  const namespace = env.AUTH_THROTTLE as DurableObjectNamespace<AuthThrottle>;
  return namespace.get(namespace.idFromName(await sha256Hex(`auth-throttle|${kind}|${ip ?? 'unknown'}`)));
}
