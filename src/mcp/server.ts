import type { Context } from 'hono';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { admit } from '../admission/admit';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import type { AuthenticatedKey } from '../storage/api-keys';
import { listBots } from '../storage/bots';
import { listClassifiers } from '../storage/classifiers';
import { listKnowledgeBases } from '../storage/knowledge-bases';
import { DOCUMENT_TEMPLATE, knowledgeBaseResources, readResource } from './resources';
import { refusalCode, refusalData } from './refusals';
import { errorResult } from './results';
import { listsBots, listsClassifiers, listsKnowledgeBases, MAX_CHOICES, mayUse, toolCall, visibleTools } from './tools';

export const SERVER_INFO = { name: 'minnow', title: 'minnow — small AI task models', version: '0.1.0' };

const INSTRUCTIONS =
  'minnow runs small, specialised models as tools: sentiment, classification, entities, language, embeddings, similarity, ' +
  'reranking, extractive answers, moderation, summaries, translation, and search over your knowledge bases. Text-in tools ' +
  'take a string or an array of strings and answer one result per input, in order. Every call is cached, rate-limited and ' +
  'billed like the HTTP API; a refusal (rate limit, budget) is a tool error whose JSON says `retry_after` in seconds.';

/**
 * A refusal outside a tool call (listing or reading): MCP's own error, its code by refusalCode
 * (the HTTP status for a rate limit or a scope, never -32600), with the one error shape as
 * its data and `retry_after` when the HTTP answer would carry `Retry-After`. `refused` hears of it,
 * so the HTTP answer can carry that status and header too (route.ts).
 */
function protocolError(error: unknown, c: Context<AppEnv>, refused: (error: ApiError) => void): never {
  if (!(error instanceof ApiError)) throw error;
  refused(error);
  throw new McpError(refusalCode(error), error.message, refusalData(error, c.get('requestId')));
}

/**
 * The MCP server for one HTTP request of one key (stateless: nothing outlives the request). It
 * closes over the Hono context, so every tool call is admitted through the same functions, with
 * the same request id, as the HTTP route it mirrors.
 */
export function mcpServer(c: Context<AppEnv>, key: AuthenticatedKey, refused: (error: ApiError) => void = () => {}): Server {
  // `Server` (not the higher-level `McpServer`): the tools' schemas are the routes' own JSON
  // Schemas and their arguments are validated by the routes' zod schemas, so errors name the field
  // in the one error shape.
  const server = new Server(SERVER_INFO, { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS });

  /** Listing and reading: rate-limited like an account read, never refused for a spent budget (they cost nothing). */
  const read = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      await admit(c, key, false);
      return await operation();
    } catch (error) {
      return protocolError(error, c, refused);
    }
  };
  /** Knowledge bases and their documents are readable with the `search` scope (the scope that searches them). */
  const readable = () => {
    if (!mayUse(key, 'search')) protocolError(new ApiError(403, 'scope_not_allowed', `Reading knowledge bases needs the search scope; this key's scopes are ${key.scopes.join(', ')}`), c, refused);
  };

  server.setRequestHandler(ListToolsRequestSchema, () =>
    read(async () => {
      const [kbs, bots, classifiers] = await Promise.all([
        listsKnowledgeBases(key) ? listKnowledgeBases(c.env.DB, key.tenantId) : [],
        listsBots(key) ? listBots(c.env.DB, key.tenantId, MAX_CHOICES + 1) : [],
        listsClassifiers(key) ? listClassifiers(c.env.DB, key.tenantId) : [],
      ]);
      return { tools: visibleTools(key, kbs, bots, classifiers) };
    }),
  );

  server.setRequestHandler(ListResourcesRequestSchema, () => read(async () => ({ resources: mayUse(key, 'search') ? await knowledgeBaseResources(c, key.tenantId) : [] })));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: mayUse(key, 'search') ? [DOCUMENT_TEMPLATE] : [] }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) =>
    read(async () => {
      readable();
      return readResource(c, key.tenantId, request.params.uri);
    }),
  );

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
