import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, createTenant, json, uniqueText } from '../support/api';

const ACCEPT = 'application/json, text/event-stream';

function post(key: string, body: unknown, headers: Record<string, string> = {}) {
  return call('/mcp', { headers: { authorization: `Bearer ${key}`, accept: ACCEPT, 'mcp-protocol-version': '2025-11-25', ...headers }, body });
}

const toolCall = (name: string, args: unknown, id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

describe('MCP: bad input at the door', () => {
  it('answers malformed bodies and messages with a 4xx, never a 5xx', async () => {
    const tenant = await createTenant();
    const notJson = await SELF.fetch('https://minnow.test/mcp', { method: 'POST', headers: { ...tenant.auth, accept: ACCEPT, 'content-type': 'application/json' }, body: '{"jsonrpc":' });
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).error.code).toBe('invalid_json');

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
    const wrongType = await call('/mcp', { headers: { ...tenant.auth, accept: ACCEPT, 'content-type': 'text/plain' }, rawBody: '{}' });
    expect(wrongType.status).toBe(415);
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
