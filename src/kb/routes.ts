import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { admitAccountRequest, admitManagement, admitScoped } from '../admission/admit';
import { MANAGING } from '../admission/browser-keys';
import { apiKeyFormat } from '../http/api-key-format';
import { jsonBody } from '../http/json-body';
import { errorResponse as error, jsonResponse as json } from '../http/error-responses';
import { withHeldReservation } from '../pipeline/step-context';
import { planProviders, runsHereFor } from '../providers/router';
import { newId } from '../security/crypto';
import { deleteDocument } from '../storage/kb-chunks';
import { countDocuments, findDocument, listDocuments, type KbDocument } from '../storage/kb-documents';
import { deleteKnowledgeBase, findKnowledgeBase, insertKnowledgeBase, type KnowledgeBase, listKnowledgeBases } from '../storage/knowledge-bases';
import { embedModel, LOCAL_EMBED_MODEL } from '../tasks/embed/models';
import { embedTask } from '../tasks/embed/task';
import { embeddingEstimate } from './embed-texts';
import { addDocument, INLINE_MAX_CHUNKS, prepareDocument } from './ingest';
import {
  addDocumentSchema,
  addedDocumentSchema,
  createKnowledgeBaseSchema,
  documentParams,
  documentSchema,
  kbParams,
  knowledgeBaseSchema,
  listQuery,
  searchResultSchema,
  searchSchema,
} from './schema';
import { searchKnowledge } from './search';
import { vectorStoreFor } from './vector-store';

const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const managementErrors = {
  400: error('Invalid input; `param` names the field'),
  401: error('Missing, unknown or revoked API key'),
  403: error('Not a secret key with every scope'),
  404: error('No such knowledge base or document (another tenant’s ids look the same as none)'),
  429: error('Rate limit exceeded; see `Retry-After`'),
};
/** Reading knowledge bases and documents needs the search scope: the same text a search (and MCP's resources) gives. */
const readErrors = { ...managementErrors, 403: error('A publishable key, or a key without the search scope') };

const presentKnowledgeBase = (kb: KnowledgeBase, counts?: { documents: number; chunks: number }) => ({
  id: kb.id,
  object: 'knowledge_base' as const,
  name: kb.name,
  embedding: kb.embedding,
  store: kb.store,
  ...(counts ?? {}),
  created_at: kb.createdAt,
});

const presentDocument = (doc: KbDocument) => ({
  id: doc.id,
  object: 'document' as const,
  title: doc.title,
  url: doc.url,
  format: doc.format,
  metadata: doc.metadata,
  status: doc.status,
  error: doc.error,
  chunks: doc.chunks,
  characters: doc.chars,
  created_at: doc.createdAt,
  updated_at: doc.updatedAt,
});

async function knowledgeBaseOf(c: Context<AppEnv>, tenantId: string, id: string): Promise<KnowledgeBase> {
  const kb = await findKnowledgeBase(c.env.DB, tenantId, id);
  if (!kb) throw new ApiError(404, 'knowledge_base_not_found', `No knowledge base ${id}`, { param: 'id' });
  return kb;
}

const route = <R extends Parameters<typeof createRoute>[0]>(spec: R) => createRoute({ tags: ['knowledge bases'], security: [{ apiKey: [] }], ...spec });

/** /v1/kb: knowledge bases, their documents, and search. */
export function registerKnowledgeBaseRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/kb',
      summary: 'Create a knowledge base',
      middleware: [apiKeyFormat({ secretOnly: MANAGING }), jsonBody()] as const,
      request: body(createKnowledgeBaseSchema),
      responses: { 201: json('Created', knowledgeBaseSchema), ...managementErrors },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const ctx = await admitManagement(c);
      const model = input.embedding === 'local' ? LOCAL_EMBED_MODEL : (input.embedding ?? planProviders(c.env, embedTask, ctx.policy)[0]!.model);
      const catalog = embedModel(model);
      if (!catalog?.dimensions) throw new ApiError(400, 'unknown_embedding_model', `${model} is not a catalog embedding model`, { param: 'embedding' });
      // Every upload and search would be a 503: say so now, while the choice can still be changed.
      if (!runsHereFor(c.env, catalog.provider, ctx.policy, embedTask.name)) {
        throw new ApiError(400, 'embedding_unavailable', `${model} runs on ${catalog.provider}, which is not configured in this deployment (see GET /healthz); choose another embedding model ("local" runs everywhere) or configure ${catalog.provider}`, { param: 'embedding' });
      }
      if (input.store === 'vectorize' && !c.env.VECTORS) throw new ApiError(400, 'vector_store_unavailable', 'This deployment has no Vectorize index bound (VECTORS); use store "d1"', { param: 'store' });
      const kb: KnowledgeBase = {
        id: newId('kb'),
        tenantId: ctx.policy.tenantId,
        name: input.name,
        embedding: { provider: catalog.provider, model, dimensions: catalog.dimensions },
        store: input.store,
        createdAt: new Date().toISOString(),
      };
      await insertKnowledgeBase(c.env.DB, kb);
      return c.json(presentKnowledgeBase(kb, { documents: 0, chunks: 0 }), 201);
    },
  );

  app.openapi(
    route({ method: 'get', path: '/v1/kb', summary: 'List your knowledge bases', middleware: [apiKeyFormat()] as const, responses: { 200: json('Your knowledge bases', z.object({ object: z.literal('list'), data: z.array(knowledgeBaseSchema) })), ...readErrors } }),
    async (c) => {
      const { key } = await admitAccountRequest(c, 'search');
      const kbs = await listKnowledgeBases(c.env.DB, key.tenantId);
      return c.json({ object: 'list' as const, data: kbs.map((kb) => presentKnowledgeBase(kb)) }, 200);
    },
  );

  app.openapi(
    route({ method: 'get', path: '/v1/kb/{id}', summary: 'A knowledge base with its document and chunk counts', middleware: [apiKeyFormat()] as const, request: { params: kbParams }, responses: { 200: json('The knowledge base', knowledgeBaseSchema), ...readErrors } }),
    async (c) => {
      const { key } = await admitAccountRequest(c, 'search');
      const kb = await knowledgeBaseOf(c, key.tenantId, c.req.valid('param').id);
      return c.json(presentKnowledgeBase(kb, await countDocuments(c.env.DB, key.tenantId, kb.id)), 200);
    },
  );

  app.openapi(
    route({ method: 'delete', path: '/v1/kb/{id}', summary: 'Delete a knowledge base with all its documents', middleware: [apiKeyFormat()] as const, request: { params: kbParams }, responses: { 200: json('Deleted', z.object({ id: z.string(), object: z.literal('knowledge_base'), deleted: z.literal(true) })), ...managementErrors } }),
    async (c) => {
      const ctx = await admitManagement(c);
      const kb = await knowledgeBaseOf(c, ctx.policy.tenantId, c.req.valid('param').id);
      const { removed } = await deleteKnowledgeBase(c.env.DB, kb.tenantId, kb.id);
      if (removed.length > 0) await vectorStoreFor(c.env, kb).remove(kb.tenantId, removed);
      return c.json({ id: kb.id, object: 'knowledge_base' as const, deleted: true as const }, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/kb/{id}/documents',
      summary: 'Add or replace a document',
      description:
        `Cleans the text (text, markdown or html), cuts it into overlapping sentence-aligned chunks (~800 characters, up to 200 overlap), embeds them with the knowledge base's model and indexes them for keyword search. ` +
        `Up to ${INLINE_MAX_CHUNKS} chunks are processed before the response (201, status ready); larger documents are queued (202, status processing — poll GET …/documents/{doc}). ` +
        'Adding a document with the same `external_id` (else `url`, else `title`) replaces it; its previous version answers until the new one is ready. The same title and text again is `unchanged` and costs nothing.',
      middleware: [apiKeyFormat({ secretOnly: MANAGING }), jsonBody()] as const,
      request: { params: kbParams, ...body(addDocumentSchema) },
      responses: {
        200: json('Unchanged: same title and text as the stored version', addedDocumentSchema),
        201: json('Embedded and searchable', addedDocumentSchema),
        202: json('Queued for embedding', addedDocumentSchema),
        ...managementErrors,
        402: error('Budget exhausted'),
        413: error('Body larger than the limit'),
        502: error('The embedding model failed'),
        503: error('The embedding model is unavailable'),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const prepared = prepareDocument(input);
      const texts = prepared.embeddingTexts;
      const ctx = await admitManagement(c, texts.length <= INLINE_MAX_CHUNKS ? embeddingEstimate(c.env, texts) : undefined);
      // The lookup runs under the held reservation, so an unknown id (404) releases it at once
      // instead of leaving it to expire against the tenant's budget.
      const added = await withHeldReservation(ctx, async (steps) => addDocument(steps, await knowledgeBaseOf(c, ctx.policy.tenantId, c.req.valid('param').id), prepared));
      const status = added.outcome === 'unchanged' ? 200 : added.status === 'processing' ? 202 : 201;
      return c.json({ id: added.id, object: 'document' as const, status: added.status, chunks: added.chunks, outcome: added.outcome }, status);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/kb/{id}/documents',
      summary: 'List documents (paginated by id)',
      middleware: [apiKeyFormat()] as const,
      request: { params: kbParams, query: listQuery },
      responses: { 200: json('A page of documents', z.object({ object: z.literal('list'), data: z.array(documentSchema), has_more: z.boolean(), next_cursor: z.string().nullable() })), ...readErrors },
    }),
    async (c) => {
      const { key } = await admitAccountRequest(c, 'search');
      const kb = await knowledgeBaseOf(c, key.tenantId, c.req.valid('param').id);
      const { limit, cursor } = c.req.valid('query');
      const page = await listDocuments(c.env.DB, key.tenantId, kb.id, limit + 1, cursor);
      const hasMore = page.length > limit;
      const data = page.slice(0, limit);
      return c.json({ object: 'list' as const, data: data.map(presentDocument), has_more: hasMore, next_cursor: hasMore ? data[data.length - 1]!.id : null }, 200);
    },
  );

  app.openapi(
    route({ method: 'get', path: '/v1/kb/{id}/documents/{doc}', summary: 'A document and its processing status', middleware: [apiKeyFormat()] as const, request: { params: documentParams }, responses: { 200: json('The document', documentSchema), ...readErrors } }),
    async (c) => {
      const { key } = await admitAccountRequest(c, 'search');
      const { id, doc } = c.req.valid('param');
      const kb = await knowledgeBaseOf(c, key.tenantId, id);
      const found = await findDocument(c.env.DB, key.tenantId, kb.id, doc);
      if (!found) throw new ApiError(404, 'document_not_found', `No document ${doc} in ${kb.id}`, { param: 'doc' });
      return c.json(presentDocument(found), 200);
    },
  );

  app.openapi(
    route({ method: 'delete', path: '/v1/kb/{id}/documents/{doc}', summary: 'Delete a document and its chunks', middleware: [apiKeyFormat()] as const, request: { params: documentParams }, responses: { 200: json('Deleted', z.object({ id: z.string(), object: z.literal('document'), deleted: z.literal(true) })), ...managementErrors } }),
    async (c) => {
      const ctx = await admitManagement(c);
      const { id, doc } = c.req.valid('param');
      const kb = await knowledgeBaseOf(c, ctx.policy.tenantId, id);
      const { deleted, removed } = await deleteDocument(c.env.DB, kb.tenantId, kb.id, doc);
      if (!deleted) throw new ApiError(404, 'document_not_found', `No document ${doc} in ${kb.id}`, { param: 'doc' });
      if (removed.length > 0) await vectorStoreFor(c.env, kb).remove(kb.tenantId, removed);
      return c.json({ id: doc, object: 'document' as const, deleted: true as const }, 200);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/kb/{id}/search',
      summary: 'Search a knowledge base (hybrid vector + keyword)',
      description: 'Needs the `search` scope; publishable keys may search from their allowed origins. The query embedding is metered like an embed call.',
      middleware: [apiKeyFormat(), jsonBody()] as const,
      request: { params: kbParams, ...body(searchSchema) },
      responses: {
        200: json('Best passages first', z.object({ object: z.literal('list'), results: z.array(searchResultSchema) })),
        ...managementErrors,
        402: error('Budget exhausted'),
        502: error('The embedding model failed'),
        503: error('The embedding model is unavailable'),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const ctx = await admitScoped(c, 'search', embeddingEstimate(c.env, [input.query]));
      // Looked up under the held reservation: an unknown id (404) releases it at once.
      const passages = await withHeldReservation(ctx, async (steps) => {
        const kb = await knowledgeBaseOf(c, ctx.policy.tenantId, c.req.valid('param').id);
        return searchKnowledge(steps, { kbIds: [kb.id], query: input.query, topK: input.top_k, filter: input.filter, mode: input.mode, rerank: input.rerank });
      });
      const results = passages.map(({ kb_id: _kb, ...passage }) => passage);
      return c.json({ object: 'list' as const, results }, 200);
    },
  );
}
