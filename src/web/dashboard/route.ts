import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { dashboardPage } from './page';

/**
 * GET /dashboard: a static page that asks for a secret key and charts GET /v1/usage with it. The
 * page is public (it holds no data); the data comes only from the key-authenticated API.
 *
 * Headers: the app-wide secureHeaders() runs after this handler and sets its own headers (nosniff,
 * HSTS, X-Frame-Options, COOP/CORP…) but no Content-Security-Policy, so the strict one set here is
 * kept. If a CSP is ever added to the app-wide secureHeaders(), it would overwrite this one
 * (`overwrite` defaults to true) — the browser test checks the header the page really gets.
 * Not an OpenAPI route: it is HTML for people, not part of the API.
 */
export function registerDashboard(app: OpenAPIHono<AppEnv>): void {
  app.get('/dashboard', async (c) => {
    const page = await dashboardPage();
    c.header('Content-Security-Policy', page.contentSecurityPolicy);
    // The page is tiny; not storing it means "Forget key" + Back cannot bring rendered figures back.
    c.header('Cache-Control', 'no-store');
    return c.html(page.html);
  });
}
