import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { wordTokens } from '../../src/providers/local/semantic/tokenize';
import { ADMIN, call, json } from '../support/api';
import { publishableKey, sentiment, visitorToken } from '../jamstack/support';
import { fixture } from './support/fixture';
import { expectWellFormed } from './support/well-formed';

// One example per bug the hostile-input properties found, so each stays fixed whatever the seed.
describe('hostile-input regressions', () => {
  it('a text containing "constructor" or "__proto__" is embedded locally (was a 500: prototype lookup in the contraction table)', async () => {
    expect(wordTokens('constructor __proto__ toString can\'t')).toEqual(['constructor', 'proto', 'tostring', 'can', 'not']);
    const { tenant, ids } = await fixture();
    const added = await call(`/v1/kb/${ids.kb}/documents`, { headers: tenant.auth, body: { title: 'constructor', text: 'The constructor of the hasOwnProperty toString valueOf' } });
    expect(added.status).toBe(201);
    const search = await call(`/v1/kb/${ids.kb}/search`, { headers: tenant.auth, body: { query: 'constructor' } });
    await expectWellFormed(search, 'search "constructor"');
    expect(search.status).toBe(200);
  });

  it('a gzip-encoded body is refused as compressed, not reported as invalid JSON (was 400 invalid_json)', async () => {
    const { tenant, ids } = await fixture();
    const gzipped = await new Response(new Blob([JSON.stringify({ text: 'hello' })]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    for (const [path, headers] of [['/v1/sentiment', tenant.auth], [`/hooks/${ids.hook}`, {}]] as const) {
      const response = await SELF.fetch(`https://minnow.test${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipped });
      const body = (await expectWellFormed(response, path)) as any;
      expect(response.status).toBe(415);
      expect(body.error.code).toBe('unsupported_content_encoding');
    }
    const identity = await call('/v1/sentiment', { headers: { ...tenant.auth, 'content-encoding': 'identity' }, body: { text: 'hello' } });
    expect(identity.status).toBe(200);
  });

  it('CORS grants only well-formed origins (was: any Origin header value echoed into Access-Control-Allow-Origin)', async () => {
    for (const origin of ['<script>alert(1)</script>', 'https://a.example/path', 'https://a.example, https://b.example', 'javascript:alert(1)']) {
      const preflight = await call('/v1/sentiment', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
    for (const origin of ['https://shop.example', 'http://localhost:8787', 'null']) {
      const preflight = await call('/v1/sentiment', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin'), origin).toBe(origin);
    }
  });

  it('error messages quote caller input only up to a bound (was: a 16 KB Origin or field name echoed whole)', async () => {
    const { tenant } = await fixture();
    const huge = 'a'.repeat(16_000);
    const responses = [
      await call('/v1/sentiment', { headers: { ...tenant.auth, origin: `https://${huge}.example` }, body: { text: 'hi' } }),
      await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'hi', [huge]: 1 } }),
      await call(`/v1/${huge}`, { headers: tenant.auth }),
    ];
    for (const response of responses) {
      const body = (await expectWellFormed(response, 'huge echo')) as any;
      expect(body.error.message.length).toBeLessThanOrEqual(1_000);
      expect((body.error.param ?? '').length).toBeLessThanOrEqual(200);
    }
  });

  it('text with an unpaired surrogate is refused with 400 naming the field (was: stored as U+FFFD, unlike the 201 echo)', async () => {
    const { tenant } = await fixture();
    const send = (path: string, rawBody: string) => call(path, { method: 'POST', headers: { ...tenant.auth, 'content-type': 'application/json' }, rawBody });
    for (const [path, rawBody, param] of [
      ['/v1/kb', '{"name":"a\\ud800b"}', 'name'],
      ['/v1/sentiment', '{"text":["fine","x\\udc00"]}', 'text.1'],
      ['/v1/webhooks', '{"name":"n","events":["budget.soft_limit"],"destination":{"url":"https://example.com/h"},"x\\ud800":1}', 'x\ud800'],
    ] as const) {
      const response = await send(path, rawBody);
      const body = (await expectWellFormed(response, rawBody)) as any;
      expect(response.status, rawBody).toBe(400);
      expect(body.error).toMatchObject({ code: 'invalid_field', param });
    }
    // A proper pair (an emoji, escaped or not) is fine.
    expect((await send('/v1/sentiment', '{"text":"\\ud83d\\ude00 I love it 😀"}')).status).toBe(200);
  });

  it('a wrong method on an admin path is 405 with Allow, even without a body (was 415 from the body check)', async () => {
    for (const [method, path] of [['PUT', '/admin/tenants'], ['POST', '/admin/keys/key_x'], ['PATCH', '/admin/tenants/ten_x/keys']] as const) {
      const response = await call(path, { method, headers: { authorization: 'Bearer dev-admin-token' } });
      const body = (await expectWellFormed(response, `${method} ${path}`)) as any;
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(body.error.code).toBe('method_not_allowed');
      expect(response.headers.get('allow')).toBeTruthy();
    }
    // The body check still guards the real routes.
    expect((await call('/admin/tenants', { method: 'POST', headers: { authorization: 'Bearer dev-admin-token' } })).status).toBe(415);
  });

  it('a visitor token whose signature has a bad length is a 401 in the error shape (was a 500: atob threw)', async () => {
    const pk = await publishableKey();
    const { token } = await json(await visitorToken(pk.from()));
    const signature = token.split('.').at(-1) as string;
    expect(signature).toHaveLength(43);
    for (const bad of [signature.slice(0, 1), signature.slice(0, 5), signature.slice(0, 41), `${signature}AA`, `${signature}A`, '']) {
      const forged = `${token.slice(0, token.lastIndexOf('.'))}.${bad}`;
      const response = await sentiment(pk.from(undefined, undefined, { 'x-minnow-visitor': forged }));
      const body = (await expectWellFormed(response, `signature of ${bad.length}`)) as any;
      expect(response.status, `signature of ${bad.length}`).toBe(401);
      expect(body.error.code).toBe('invalid_visitor_token');
    }
  });

  it('admin task names "constructor" and "__proto__" are unknown tasks, 404 (was a 500: a prototype lookup)', async () => {
    const { ids } = await fixture();
    for (const task of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const put = await call(`/admin/tenants/${ids.adminTenant}/tasks/${task}`, { method: 'PUT', headers: ADMIN, body: { providers: ['local'] } });
      const body = (await expectWellFormed(put, `PUT ${task}`)) as any;
      expect(put.status, `PUT ${task}`).toBe(404);
      expect(body.error.code).toBe('task_not_found');
      const removed = await call(`/admin/tenants/${ids.adminTenant}/tasks/${task}`, { method: 'DELETE', headers: ADMIN });
      await expectWellFormed(removed, `DELETE ${task}`);
      expect(removed.status, `DELETE ${task}`).toBe(404);
    }
  });

  it('a "__proto__" key is refused with 400 naming it, never silently dropped (was: metadata lost the field, a filter matched everything)', async () => {
    const { tenant, ids } = await fixture();
    const send = (path: string, rawBody: string) => call(path, { method: 'POST', headers: { ...tenant.auth, 'content-type': 'application/json' }, rawBody });
    for (const [path, rawBody, param] of [
      [`/v1/kb/${ids.kb}/documents`, '{"title":"t","text":"Refunds take five days.","metadata":{"__proto__":"x","product":"billing"}}', 'metadata.__proto__'],
      [`/v1/kb/${ids.kb}/search`, '{"query":"refunds","filter":{"__proto__":{"product":"none"}}}', 'filter.__proto__'],
      [`/v1/kb/${ids.kb}/search`, '{"query":"refunds","filter":{"\\u005f_proto__":"x"}}', 'filter.__proto__'],
      ['/v1/sentiment', '{"__proto__":{"text":"hi"},"text":"fine"}', '__proto__'],
    ] as const) {
      const response = await send(path, rawBody);
      const body = (await expectWellFormed(response, rawBody)) as any;
      expect(response.status, rawBody).toBe(400);
      expect(body.error).toMatchObject({ code: 'invalid_field', param });
    }
    // Other prototype names are ordinary keys: kept, and matched exactly.
    const kept = await send(`/v1/kb/${ids.kb}/documents`, '{"title":"constructor doc","text":"Parcels ship from Lyon every weekday.","metadata":{"constructor":"lyon","toString":1}}');
    expect(kept.status).toBe(201);
    const hit = await json(await send(`/v1/kb/${ids.kb}/search`, '{"query":"parcels ship","filter":{"constructor":"lyon"}}'));
    expect(hit.results.length).toBeGreaterThan(0);
    expect(hit.results.every((result: any) => result.metadata.constructor === 'lyon')).toBe(true);
    const miss = await json(await send(`/v1/kb/${ids.kb}/search`, '{"query":"parcels ship","filter":{"constructor":"paris"}}'));
    expect(miss.results).toEqual([]);
  });
});
