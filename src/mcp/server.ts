import type { Context } from 'hono';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { admit } from '../admission/admit';
import type { AppEnv } from '../contracts/env';
import { ApiError, errorBody } from '../contracts/errors';
import type { AuthenticatedKey } from '../storage/api-keys';
import { listKnowledgeBases } from '../storage/knowledge-bases';
import { errorResult } from './results';
import { listsKnowledgeBases, toolCall, visibleTools } from './tools';

export const SERVER_INFO = { name: 'minnow', title: 'minnow — small AI task models', version: '0.1.0' };

const INSTRUCTIONS =
  'minnow runs small, specialised models as tools: sentiment, classification, entities, language, embeddings, similarity, ' +
  'reranking, extractive answers, moderation, summaries, translation, and search over your knowledge bases. Text-in tools ' +
  'take a string or an array of strings and answer one result per input, in order. Every call is cached, rate-limited and ' +
  'billed like the HTTP API; a refusal (rate limit, budget) is a tool error whose JSON says `retry_after` in seconds.';

/**
 * A refusal outside a tool call (listing, before anything ran): MCP's own error, with the one error
 * shape as its data.
 */
function protocolError(error: unknown, c: Context<AppEnv>): never {
  if (!(error instanceof ApiError)) throw error;
  const retryAfter = error.headers['Retry-After'];
  throw new McpError(ErrorCode.InvalidRequest, error.message, { ...errorBody(error, c.get('requestId')), ...(retryAfter ? { retry_after: Number(retryAfter) } : {}) });
}

/**
 * The MCP server for one HTTP request of one key (stateless: nothing outlives the request). It
 * closes over the Hono context, so every tool call is admitted through the same functions, with
 * the same request id, as the HTTP route it mirrors.
 */
export function mcpServer(c: Context<AppEnv>, key: AuthenticatedKey): Server {
  // `Server` (not the higher-level `McpServer`): the tools' schemas are the routes' own JSON
  // Schemas and their arguments are validated by the routes' zod schemas, so errors name the field
  // in the one error shape.
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    try {
      // Rate-limited like an account read; never refused for a spent budget (listing costs nothing).
      await admit(c, key, false);
      const kbs = listsKnowledgeBases(key) ? await listKnowledgeBases(c.env.DB, key.tenantId) : [];
      return { tools: visibleTools(key, kbs) };
    } catch (error) {
      return protocolError(error, c);
    }
  });

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: args = {} } = request.params;
    const call = toolCall(c, name, args);
    if (!call) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${name.slice(0, 100)}"; tools/list names the tools this key may call`);
    try {
      return await call;
    } catch (error) {
      return errorResult(error, c.get('requestId'));
    }
  });

  return server;
}
