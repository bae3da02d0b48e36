import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, createTenant, json, uniqueText } from '../support/api';

const ACCEPT = 'application/json, text/event-stream';
const MCP = 'https://minnow.test/mcp';

function post(key: string, body: unknown, headers: Record<string, string> = {}) {
  return call('/mcp', { headers: { authorization: `Bearer ${key}`, accept: ACCEPT, 'mcp-protocol-version': '2025-11-25', ...headers }, body });
}

const toolCall = (name: string, args: unknown, id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

describe('MCP: bad input at the door', () => {
  it('answers malformed bodies and messages with a 4xx, never a 5xx', async () => {
    const tenant = await createTenant();
    const cases: [string, unknown, Record<string, string>?][] = [
      ['not JSON-RPC', { hello: 'world' }],
      ['a string', 'tools/list'],
      ['null', null],
      ['an unsupported protocol version', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-protocol-version': '1999-01-01' }],
      ['no event-stream in Accept', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { accept: 'application/json' }],
    ];
    for (const [what, body, headers] of cases) {
      const response = await post(tenant.key, body, headers);
      expect(response.status, what).toBeGreaterThanOrEqual(400);
      expect(response.status, what).toBeLessThan(500);
      await response.body?.cancel();
    }
  });

  it('answers a body that is not JSON as the SDK’s transport does: HTTP 400, JSON-RPC -32700 with id null', async () => {
    const tenant = await createTenant();
    const send = (body: BodyInit, headers: Record<string, string> = {}) =>
      SELF.fetch(MCP, { method: 'POST', headers: { ...tenant.auth, accept: ACCEPT, 'content-type': 'application/json', ...headers }, body });
    // JSON-RPC 2.0 § 5.1: -32700 "Invalid JSON was received by the server"; the response's id is null, as no id could be read.
    for (const [what, body] of [
      ['cut short', '{"jsonrpc":'],
      ['not JSON at all', 'tools/list'],
      ['Latin-1, not UTF-8', new Uint8Array([0x22, 0xe9, 0x22])],
    ] as const) {
      const response = await send(body);
      expect(response.status, what).toBe(400);
      expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
      const answer = await json(response);
      expect(answer, what).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringMatching(/^Parse error/) } });
      // minnow's error shape rides in data: the code and request id are not lost.
      expect(answer.error.data.error, what).toMatchObject({ type: 'invalid_request_error', code: expect.stringMatching(/^invalid_(json|utf8)$/), request_id: expect.stringMatching(/^req_/) });
    }
    // JSON that is no JSON-RPC message: the SDK's transport itself answers -32700 ("Invalid JSON-RPC message").
    const notJsonRpc = await send('{"hello":"world"}');
    expect([notJsonRpc.status, (await json(notJsonRpc)).error.code]).toEqual([400, -32700]);
    // Valid JSON that minnow refuses everywhere (a "__proto__" key) is no valid Request object: -32600, naming the field.
    const proto = await json(await send('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sentiment","arguments":{"__proto__":{"text":"x"}}}}'));
    expect(proto).toMatchObject({ id: null, error: { code: -32600, data: { error: { code: 'invalid_field', param: 'params.arguments.__proto__' } } } });
    // Refused before the message is read, as the SDK refuses them: JSON-RPC -32000 under the HTTP status.
    const large = await send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'sentiment', arguments: { text: 'x'.repeat(1_100_000) } } }));
    expect(large.status).toBe(413);
    expect(await json(large)).toMatchObject({ id: null, error: { code: -32000, data: { error: { code: 'body_too_large' } } } });
    const gzip = await send('{}', { 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(415);
    expect(await json(gzip)).toMatchObject({ id: null, error: { code: -32000, data: { error: { code: 'unsupported_content_encoding' } } } });
  });

  it('a body of another type is refused like the SDK’s transport (415, -32000), and no key is still the HTTP 401 before the body is read', async () => {
    const tenant = await createTenant();
    const wrongType = await call('/mcp', { headers: { ...tenant.auth, accept: ACCEPT, 'content-type': 'text/plain' }, rawBody: '{}' });
    expect(wrongType.status).toBe(415);
    expect(await json(wrongType)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000, data: { error: { code: 'unsupported_media_type' } } } });
    const noKey = await SELF.fetch(MCP, { method: 'POST', headers: { accept: ACCEPT, 'content-type': 'application/json' }, body: '{"jsonrpc":' });
    expect(noKey.status).toBe(401);
  });

  it('an unknown method or tool is MCP’s own error; arguments that are not an object are a tool error', async () => {
    const tenant = await createTenant();
    const method = await json(await post(tenant.key, { jsonrpc: '2.0', id: 7, method: 'no/such/method' }));
    expect(method).toMatchObject({ id: 7, error: { code: -32601 } });
    const tool = await json(await post(tenant.key, toolCall('__proto__', {})));
    expect(tool).toMatchObject({ error: { code: -32602, message: expect.stringContaining('Unknown tool') } });
    const huge = await json(await post(tenant.key, toolCall('sentiment', { text: 'x'.repeat(50_000) })));
    const text = JSON.parse(huge.result.content[0].text);
    expect(huge.result.isError).toBe(true);
    expect(text.error).toMatchObject({ code: 'invalid_field', param: 'text', status: 400 });
  });

  it('has no sessions: a session id from anywhere is ignored, and a call only ever sees its own key’s tenant', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const sessionOfAnother = { 'mcp-session-id': `session-of-${other.id}` };
    const answer = await json(await post(tenant.key, toolCall('sentiment', { text: uniqueText() }), sessionOfAnother));
    expect(answer.result.isError).toBeFalsy();
    expect(answer.result.structuredContent.task).toBe('sentiment');
    const initialize = await post(tenant.key, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    expect(initialize.headers.get('mcp-session-id')).toBeNull();
    expect((await json(initialize)).result.protocolVersion).toBe('2025-11-25');
  });
});
