import { env, SELF } from 'cloudflare:test';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TASK_NAMES } from '../../src/contracts/task-names';
import { usageForTenant } from '../../src/storage/usage';
import { publishableKey } from '../jamstack/support';
import { resetCircuits } from '../../src/providers/circuit-breaker';
import { call, createTenant, eventually, json, uniqueText } from '../support/api';
import { connect, MCP_URL, toolError } from './support';

/** Arguments for each task tool: what its route's OpenAPI example sends. */
const ARGS: Record<string, (text: string) => Record<string, unknown>> = {
  sentiment: (text) => ({ text: [text, 'This broke after a day'] }),
  classify: (text) => ({ text, labels: ['billing', 'shipping', 'account access'] }),
  entities: (text) => ({ text: `${text} Mail press@example.com on 3 March.` }),
  language: (text) => ({ text: [text, '¿Dónde está mi paquete?'] }),
  embed: (text) => ({ text }),
  similarity: (text) => ({ source: text, targets: ['My package has not arrived', 'How do I change my password?'] }),
  rerank: (text) => ({ query: text, documents: ['Refunds are issued within 5 days.', 'Our office is in Berlin.'], top_k: 1 }),
  answer: (text) => ({ question: 'When was the bridge opened?', context: `The Golden Gate Bridge opened in 1937. ${text}` }),
  moderate: (text) => ({ text: [text, 'Email me at jo@example.com'] }),
  summarize: (text) => ({ text: `The city council approved the new budget on Tuesday after a long debate. It raises spending on transit by 12 percent. ${text}`, max_words: 30 }),
  translate: (text) => ({ text: [text, 'Where is the station?'], target: 'es', source: 'en' }),
};

describe('MCP server at /mcp', () => {
  beforeEach(() => resetCircuits());

  it('lists one tool per task plus kb_search and ask_bot, with the routes’ schemas', async () => {
    const tenant = await createTenant();
    const client = await connect(tenant.key);
    expect(client.getServerVersion()?.name).toBe('minnow');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TASK_NAMES, 'kb_search', 'ask_bot'].sort());
    const sentiment = tools.find((tool) => tool.name === 'sentiment')!;
    expect(sentiment.inputSchema).toMatchObject({ type: 'object', properties: { text: expect.anything() }, required: ['text'] });
    expect(sentiment.outputSchema).toMatchObject({ type: 'object', properties: { results: { type: 'array' }, usage: expect.anything() } });
    // The routes' own field documentation (what /openapi.json shows) comes along.
    const classify = tools.find((tool) => tool.name === 'classify')!;
    const labels = (classify.inputSchema.properties as Record<string, { description?: string; examples?: unknown[] }>).labels!;
    expect(labels.description).toMatch(/candidate labels/);
    expect(labels.examples).toEqual([['billing', 'shipping', 'account access']]);
    expect((classify.inputSchema as { examples?: unknown[] }).examples?.[0]).toMatchObject({ labels: ['billing', 'shipping', 'account access'] });
    await client.close();
  });

  it('runs every task tool through the pipeline: the route’s envelope as structured content, and text', async () => {
    const tenant = await createTenant();
    const client = await connect(tenant.key);
    for (const name of TASK_NAMES) {
      const result = (await client.callTool({ name, arguments: ARGS[name]!(uniqueText(`Hello from ${name}`)) })) as CallToolResult;
      expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ task: name, results: expect.any(Array), usage: { cost_usd: expect.any(Number) } });
      expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining(`${name} by `) });
    }
    await client.close();
  });

  it('is the same pipeline as the route: a tool call and the HTTP call share the cache and are metered alike', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const text = uniqueText('Cache me');
    const client = await connect(tenant.key);
    const first = (await client.callTool({ name: 'sentiment', arguments: { text } })) as CallToolResult;
    expect(first.structuredContent).toMatchObject({ cached: false, usage: { items: 1, cached_items: 0 } });
    const viaHttp = await call('/v1/sentiment', { headers: tenant.auth, body: { text } });
    expect(viaHttp.headers.get('x-cache')).toBe('HIT');
    const again = (await client.callTool({ name: 'sentiment', arguments: { text } })) as CallToolResult;
    expect(again.structuredContent).toMatchObject({ cached: true, usage: { cached_items: 1, cost_usd: 0 } });
    expect((again.structuredContent as { results: unknown[] }).results).toEqual((await json(viaHttp)).results);
    await client.close();
    // Each tool call is one usage event, like each HTTP call: the miss at its cost, the hit at 0.
    const firstId = (first.structuredContent as { id: string }).id;
    const againId = (again.structuredContent as { id: string }).id;
    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.length >= 3);
    const byId = new Map(events.map((event) => [event.request_id, event]));
    expect(byId.get(firstId)).toMatchObject({ task: 'sentiment', cache_status: 'MISS', cost_usd: (first.structuredContent as { usage: { cost_usd: number } }).usage.cost_usd });
    expect((first.structuredContent as { usage: { cost_usd: number } }).usage.cost_usd).toBeGreaterThan(0);
    expect(byId.get(againId)).toMatchObject({ task: 'sentiment', cache_status: 'HIT', cost_usd: 0 });
  });

  it('a key sees only the tools its scopes allow, and is refused the others', async () => {
    const tenant = await createTenant({ scopes: ['sentiment', 'language'] });
    const client = await connect(tenant.key);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['language', 'sentiment']);
    const refused = toolError((await client.callTool({ name: 'classify', arguments: ARGS.classify!('Where is my parcel?') })) as CallToolResult);
    expect(refused.error).toMatchObject({ type: 'permission_error', code: 'scope_not_allowed', status: 403 });
    const search = toolError((await client.callTool({ name: 'kb_search', arguments: { kb_id: 'kb_x', query: 'refunds' } })) as CallToolResult);
    expect(search.error.code).toBe('scope_not_allowed');
    expect((await client.callTool({ name: 'sentiment', arguments: { text: 'fine' } })).isError).toBeFalsy();
    await client.close();
  });

  it('arguments that fail the route’s schema are a tool error naming the field', async () => {
    const tenant = await createTenant();
    const client = await connect(tenant.key);
    const missing = toolError((await client.callTool({ name: 'classify', arguments: { text: 'hello' } })) as CallToolResult);
    expect(missing.error).toMatchObject({ code: 'missing_field', param: 'labels', status: 400 });
    const unknown = toolError((await client.callTool({ name: 'sentiment', arguments: { text: 'hi', colour: 'red' } })) as CallToolResult);
    expect(unknown.error).toMatchObject({ code: 'unknown_field', param: 'colour' });
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/Unknown tool "no_such_tool"/);
    await client.close();
  });

  it('a rate limit is a tool error with retry_after, not a transport failure', async () => {
    const tenant = await createTenant({ limits: { rpm: 1, burst: 1 } });
    const client = await connect(tenant.key);
    // tools/list is admitted too (without spending), so the bucket's one token goes to the first call.
    const first = (await client.callTool({ name: 'sentiment', arguments: { text: uniqueText() } })) as CallToolResult;
    expect(first.isError).toBeFalsy();
    const limited = toolError((await client.callTool({ name: 'sentiment', arguments: { text: uniqueText() } })) as CallToolResult);
    expect(limited.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited', status: 429 });
    expect(limited.error.retry_after).toBeGreaterThanOrEqual(1);
    await client.close();
  });

  it('a rate-limited listing is HTTP 429 with Retry-After and a JSON-RPC error coded 429, never -32600 (a malformed request)', async () => {
    const tenant = await createTenant({ limits: { rpm: 1, burst: 1 } });
    const client = await connect(tenant.key);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    // The SDK's client surfaces a non-2xx answer as a StreamableHTTPError whose code is the HTTP status.
    const refused = await client.listTools().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StreamableHTTPError);
    expect((refused as StreamableHTTPError).code).toBe(429);
    const body = JSON.parse((refused as Error).message.slice((refused as Error).message.indexOf('{')));
    expect(body.error.code).toBe(429);
    expect(body.error.data).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limited' }, retry_after: expect.any(Number) });
    await client.close();

    // Over plain HTTP: the status, Retry-After, and the JSON-RPC error answering the request's own id.
    const raw = await SELF.fetch(MCP_URL, {
      method: 'POST',
      headers: { ...tenant.auth, accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 41, method: 'resources/list' }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const answer = await json(raw);
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: 41, error: { code: 429, data: { error: { code: 'rate_limited' } } } });
    expect(answer.error.data.retry_after).toBe(Number(raw.headers.get('retry-after')));
  });

  it('a spent budget is a tool error with retry_after (until the reset), not a transport failure', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: 0 } });
    const client = await connect(tenant.key);
    const refused = toolError((await client.callTool({ name: 'sentiment', arguments: { text: uniqueText() } })) as CallToolResult);
    expect(refused.error).toMatchObject({ type: 'budget_error', code: 'budget_exhausted', status: 402 });
    expect(refused.error.retry_after).toBeGreaterThan(0);
    expect(refused.error.retry_after).toBeLessThanOrEqual(86_400);
    await client.close();
  });

  it('an upstream failure is a tool error like the route’s 503 (with retry_after), and a fallback answers as over HTTP', async () => {
    const alone = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const client = await connect(alone.key);
    const overloaded = toolError((await client.callTool({ name: 'sentiment', arguments: { text: uniqueText('refund please [[ai:3040]]') } })) as CallToolResult);
    expect(overloaded.error).toMatchObject({ type: 'upstream_error', code: 'upstream_overloaded', status: 503, retry_after: 1 });
    await client.close();

    const withFallback = await createTenant({ providerOrder: { sentiment: ['workers-ai', 'huggingface'] } });
    const second = await connect(withFallback.key);
    const answered = (await second.callTool({ name: 'sentiment', arguments: { text: uniqueText('refund please [[ai:internal]]') } })) as CallToolResult;
    expect(answered.isError).toBeFalsy();
    expect(answered.structuredContent).toMatchObject({ provider: 'huggingface', fallback_from: [{ provider: 'workers-ai', code: 'upstream_error' }] });
    await second.close();
  });

  it('needs a valid secret key: a missing or unknown key is an HTTP 401 before any protocol', async () => {
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const headers = { accept: 'application/json, text/event-stream' };
    const none = await call('/mcp', { headers, body: initialize });
    expect(none.status).toBe(401);
    expect((await json(none)).error.code).toBe('missing_api_key');
    const wrong = await call('/mcp', { headers: { ...headers, authorization: `Bearer sk_${'a'.repeat(32)}` }, body: initialize });
    expect(wrong.status).toBe(401);
    await expect(connect(`sk_${'b'.repeat(32)}`)).rejects.toThrow();
    // Publishable keys are for web pages of their origins, not for agents.
    const pk = await publishableKey();
    const browserKey = await call('/mcp', { headers: { ...headers, ...pk.from() }, body: initialize });
    expect(browserKey.status).toBe(403);
    expect((await json(browserKey)).error.code).toBe('secret_key_required');
    // Stateless: no server-to-client stream and no session to end.
    expect((await call('/mcp', { headers })).status).toBe(405);
    expect(MCP_URL).toContain('/mcp');
  });
});
