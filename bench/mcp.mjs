#!/usr/bin/env node
// What the MCP door costs against the same task over HTTP, with the official TypeScript MCP client:
// start the Worker (`npm start`), then
//
//   node bench/mcp.mjs [base-url] [secret-key]      (defaults: http://127.0.0.1:8787 and the demo key)
//
// Prints the median and p90 of a cache-hit `sentiment` tool call and of the same `POST
// /v1/sentiment` (BENCH_MCP_CALLS each, after one warm-up; they alternate in blocks so drift hits
// both alike), and the time and size of `tools/list`. Sequential, one client: a latency probe,
// not a load test. docs/mcp.md quotes its figures.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const base = (process.argv[2] ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
const key = process.argv[3] ?? 'sk_demoLocalOnlyKeyForMinnow0000000';
const calls = Number(process.env.BENCH_MCP_CALLS ?? 20);
const input = { text: ['I love this!', 'This is terrible.'] };

const client = new Client({ name: 'minnow-bench', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));

const rawList = async () => {
  const started = performance.now();
  const response = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  const body = await response.text();
  return { ms: performance.now() - started, bytes: body.length, tools: JSON.parse(body).result.tools.length };
};

const viaMcp = async () => {
  const started = performance.now();
  const result = await client.callTool({ name: 'sentiment', arguments: input });
  if (result.isError) throw new Error(`tool error: ${result.content[0].text}`);
  return performance.now() - started;
};
const viaHttp = async () => {
  const started = performance.now();
  const response = await fetch(`${base}/v1/sentiment`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
  return performance.now() - started;
};

await viaMcp();
await viaHttp();
const times = { mcp: [], http: [] };
for (let block = 0; block < calls; block += 5) {
  for (let i = 0; i < 5; i++) times.mcp.push(await viaMcp());
  for (let i = 0; i < 5; i++) times.http.push(await viaHttp());
}
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))].toFixed(1);
console.log(`sentiment, cache hits, ${times.mcp.length} each: MCP tools/call median ${quantile(times.mcp, 0.5)} ms p90 ${quantile(times.mcp, 0.9)} ms; HTTP POST median ${quantile(times.http, 0.5)} ms p90 ${quantile(times.http, 0.9)} ms`);
await rawList();
const lists = [];
for (let i = 0; i < 5; i++) lists.push(await rawList());
console.log(`tools/list (raw POST, warm): median ${quantile(lists.map((list) => list.ms), 0.5)} ms, ${lists[0].tools} tools, ${lists[0].bytes} bytes`);
await client.close();
