// The harness that runs the real Worker under `wrangler dev --local` (scripts/lib/local-server.mjs).
export { ADMIN, createTenant, startLocalServer, type LocalServer, type LocalTenant } from '../../../scripts/lib/local-server.mjs';
