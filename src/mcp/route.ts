import type { OpenAPIHono } from '@hono/zod-openapi';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { authenticate } from '../admission/admit';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { apiKeyFormat } from '../http/api-key-format';
import { jsonBody } from '../http/json-body';
import { mcpServer } from './server';

/**
 * `POST /mcp`: the Model Context Protocol over Streamable HTTP, stateless — each POST carries one
 * JSON-RPC message and is answered with one JSON body; no session, no server-to-client stream
 * (GET and DELETE are 405s, as the transport allows a server without them). The key is checked
 * before the protocol starts: a missing, malformed or unknown key is the usual HTTP 401.
 */
export function registerMcp(app: OpenAPIHono<AppEnv>): void {
  app.post('/mcp', apiKeyFormat(), jsonBody(), async (c) => {
    const key = await authenticate(c);
    if (key.kind !== 'secret') {
      throw new ApiError(403, 'secret_key_required', 'The MCP server needs a secret key (sk_…); publishable keys work only from web pages');
    }
    const server = mcpServer(c, key);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      // jsonBody() has read, size-checked and parsed the body already.
      return await transport.handleRequest(c.req.raw, { parsedBody: await c.req.json() });
    } finally {
      c.executionCtx.waitUntil(server.close());
    }
  });
}
