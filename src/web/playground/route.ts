import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { playgroundPage } from './page';

/** Publishable keys only: the page is public, so whatever key it carries is readable by anyone. */
const PUBLISHABLE = /^pk_[0-9A-Za-z]{32}$/;

/**
 * GET /: the playground, the first page a newcomer sees after `npm start`. It runs every task
 * from the browser with the PLAYGROUND_KEY var (a publishable key; `npm start` seeds a demo one
 * for its localhost origins), or asks for a key when none is set. Same strict CSP as /dashboard.
 */
export function registerPlayground(app: OpenAPIHono<AppEnv>): void {
  app.get('/', async (c) => {
    const key = c.env.PLAYGROUND_KEY && PUBLISHABLE.test(c.env.PLAYGROUND_KEY) ? c.env.PLAYGROUND_KEY : '';
    const page = await playgroundPage(key);
    c.header('Content-Security-Policy', page.contentSecurityPolicy);
    c.header('Cache-Control', 'no-store');
    return c.html(page.html);
  });
}
