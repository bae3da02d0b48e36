import { SELF } from 'cloudflare:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const MCP_URL = 'https://minnow.test/mcp';

/**
 * The official MCP client over Streamable HTTP, against the Worker under test: its fetch is
 * SELF.fetch. It checks each tool's structured content against the tool's output schema with the
 * SDK's Workers validator (the default, Ajv, compiles code at run time, which workerd forbids).
 */
export async function connect(key: string): Promise<Client> {
  const client = new Client({ name: 'minnow-test', version: '1.0.0' }, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    fetch: (url, init) => SELF.fetch(url, init),
  });
  await client.connect(transport);
  return client;
}

/** A tool error's body: the one error shape, as JSON in the result's text. */
export function toolError(result: CallToolResult): { error: { type: string; code: string; message: string; param?: string; request_id: string; status: number; retry_after?: number } } {
  if (!result.isError) throw new Error(`expected a tool error, got ${JSON.stringify(result).slice(0, 500)}`);
  const text = result.content.find((part) => part.type === 'text');
  return JSON.parse((text as { text: string }).text);
}
