import fc from 'fast-check';
import { describe, it, vi } from 'vitest';
import { call } from '../support/api';
import { sign, STANDARD_SECRET } from '../webhooks/support';
import { hostileString, hostileValue, leafPaths, replaceAt } from './support/arbitraries';
import { authFor, fixture, pathFor } from './support/fixture';
import { allRoutes, label, type Route } from './support/routes';
import { failOnErrorLogs } from './support/error-logs';
import { runs, TIMEOUT_MS } from './support/runs';
import { templateFor } from './support/templates';
import { expectWellFormed } from './support/well-formed';

vi.setConfig({ testTimeout: TIMEOUT_MS });
failOnErrorLogs();

const bodyRoutes = (await allRoutes()).filter((route) => route.hasBody);

/** Sends `body` as JSON text; an inbound hook's body is signed, so it gets past verification. */
async function send(route: Route, body: string) {
  const { tenant, ids } = await fixture();
  const headers: Record<string, string> = { 'content-type': 'application/json', ...authFor(route, tenant) };
  if (route.path === '/hooks/:hookId') Object.assign(headers, await sign.standard(STANDARD_SECRET, body));
  return call(pathFor(route, ids), { method: route.method, headers, rawBody: body });
}

describe.each(bodyRoutes.map((route) => [label(route), route] as const))('%s, hostile JSON', (_, route) => {
  it('answers any JSON value, or an object of its own fields with hostile values, without a 5xx', async () => {
    const fieldObject = fc.dictionary(fc.constantFrom(...route.fields, 'unknown_field'), hostileValue, { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileValue, fieldObject), async (body) => {
        await expectWellFormed(await send(route, JSON.stringify(body)), `${label(route)} ${JSON.stringify(body).slice(0, 200)}`);
      }),
      runs(6),
    );
  });

  it('answers a valid body with one leaf replaced by a hostile value', async () => {
    const { ids } = await fixture();
    const template = templateFor(route, ids);
    const paths = leafPaths(template);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: paths.length - 1 }), fc.oneof(hostileString, hostileValue), async (index, replacement) => {
        const body = JSON.stringify(replaceAt(template, paths[index]!, replacement));
        await expectWellFormed(await send(route, body), `${label(route)} ${body.slice(0, 300)}`);
      }),
      runs(10),
    );
  });
});
