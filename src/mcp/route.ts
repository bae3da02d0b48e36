import type { OpenAPIHono } from '@hono/zod-openapi';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { authenticate } from '../admission/admit';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { apiKeyFormat } from '../http/api-key-format';
import { mcpJsonBody, withRefusalStatus } from './refusals';
import { mcpServer } from './server';

/**
 * `POST /mcp`: the Model Context Protocol over Streamable HTTP, stateless — each POST carries one
 * JSON-RPC message and is answered with one JSON body; no session, no server-to-client stream
 * (GET and DELETE are 405s, as the transport allows a server without them). The key is checked
 * before the protocol starts: a missing, malformed or unknown key is the usual HTTP 401.
 */
export function registerMcp(app: OpenAPIHono<AppEnv>): void {
  app.post('/mcp', apiKeyFormat(), mcpJsonBody(), async (c) => {
    const key = await authenticate(c);
    if (key.kind !== 'secret') {
      throw new ApiError(403, 'secret_key_required', 'The MCP server needs a secret key (sk_…); publishable keys work only from web pages');
    }
    let refusal: ApiError | undefined;
    const server = mcpServer(c, key, (error) => (refusal = error));
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      // mcpJsonBody() has read, size-checked and parsed the body already.
      const message: unknown = await c.req.json();
      const response = await transport.handleRequest(c.req.raw, { parsedBody: message });
      // One message, one refusal: a batch's answer holds several, so it keeps the transport's status.
      return Array.isArray(message) ? response : withRefusalStatus(response, refusal);
    } finally {
      c.executionCtx.waitUntil(server.close());
    }
  });
}
