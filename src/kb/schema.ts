import { z } from '@hono/zod-openapi';
import { EMBED_MODEL_IDS } from '../tasks/embed/models';
import { DOCUMENT_FORMATS } from '../storage/kb-documents';
import { SEARCH_MODES } from './types';

/** Largest document text, in characters (~100 pages); larger material should be split into documents. */
export const MAX_DOCUMENT_CHARS = 400_000;
export const MAX_SEARCH_TOP_K = 50;
export const MAX_QUERY_CHARS = 2_000;
const MAX_METADATA_KEYS = 32;

const idParam = (name: string, example: string) => z.string().min(1).max(64).regex(/^[A-Za-z0-9_]+$/, 'is not an id').openapi({ param: { name, in: 'path' }, example });
export const kbParams = z.object({ id: idParam('id', 'kb_3fKq9Zt2mXw8LpQe') });
export const documentParams = kbParams.extend({ doc: idParam('doc', 'doc_8HsT1kQz0pLmWn4R') });

const metadataKey = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'keys are 1–64 letters, digits, _ . -');
const metadataValue = z.union([z.string().max(500), z.number().finite(), z.boolean()]);
const metadataSchema = z
  .record(metadataKey, metadataValue)
  .refine((value) => Object.keys(value).length <= MAX_METADATA_KEYS, `at most ${MAX_METADATA_KEYS} keys`)
  .openapi({ description: `Up to ${MAX_METADATA_KEYS} string/number/boolean fields; search filters match them exactly`, example: { product: 'billing', locale: 'en' } });

export const createKnowledgeBaseSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    embedding: z
      .enum(['local', ...EMBED_MODEL_IDS], { error: `must be "local" or one of: ${EMBED_MODEL_IDS.join(', ')}` })
      .optional()
      .openapi({ description: 'The embedding model, fixed for the life of the knowledge base. Default: the model your embed task uses now; "local" is the in-Worker model (free, offline).' }),
    store: z.enum(['d1', 'vectorize']).default('d1').openapi({ description: '`d1` (default, exact, up to ~20k chunks) or `vectorize` (needs the VECTORS binding; large knowledge bases)' }),
  })
  .strict()
  .openapi('CreateKnowledgeBase', { example: { name: 'Help center' } });

export const knowledgeBaseSchema = z
  .object({
    id: z.string(),
    object: z.literal('knowledge_base'),
    name: z.string(),
    embedding: z.object({ provider: z.string(), model: z.string(), dimensions: z.number().int() }),
    store: z.enum(['d1', 'vectorize']),
    documents: z.number().int().optional(),
    chunks: z.number().int().optional(),
    created_at: z.string(),
  })
  .openapi('KnowledgeBase');

export const addDocumentSchema = z
  .object({
    title: z.string().trim().min(1).max(500),
    text: z.string().min(1).max(MAX_DOCUMENT_CHARS, `must be at most ${MAX_DOCUMENT_CHARS.toLocaleString('en')} characters; split longer material into several documents`),
    format: z.enum(DOCUMENT_FORMATS).default('text'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2_000).optional(),
    metadata: metadataSchema.optional(),
    external_id: z.string().min(1).max(200).optional().openapi({ description: 'Your id for the document: adding it again replaces it. Default identity: `url`, else `title`.' }),
  })
  .strict()
  .openapi('AddDocument', { example: { title: 'Refund policy', text: 'Refunds are issued within 5 business days of receiving the item.', url: 'https://example.com/help/refunds' } });

export const documentSchema = z
  .object({
    id: z.string(),
    object: z.literal('document'),
    title: z.string(),
    url: z.string().nullable(),
    format: z.enum(DOCUMENT_FORMATS),
    metadata: z.record(z.string(), metadataValue),
    status: z.enum(['processing', 'ready', 'failed']).openapi({ description: '`processing` while queued for embedding; `failed` with `error` (an earlier version, if any, still answers)' }),
    error: z.string().nullable(),
    chunks: z.number().int(),
    characters: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Document');

export const addedDocumentSchema = z
  .object({
    id: z.string(),
    object: z.literal('document'),
    status: z.enum(['processing', 'ready', 'failed']),
    chunks: z.number().int(),
    outcome: z.enum(['created', 'replaced', 'unchanged']),
  })
  .openapi('AddedDocument');

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(64).optional().openapi({ description: '`next_cursor` of the previous page' }),
});

export const searchSchema = z
  .object({
    query: z.string().trim().min(1).max(MAX_QUERY_CHARS),
    top_k: z.number().int().min(1).max(MAX_SEARCH_TOP_K).default(5),
    filter: z
      .record(metadataKey, metadataValue)
      .optional()
      .openapi({ description: 'Exact match on document metadata fields (all must match); `document_id` limits to one document' }),
    mode: z.enum(SEARCH_MODES).default('hybrid').openapi({ description: '`hybrid` (default): vector + BM25 fused by reciprocal rank; `vector`; `keyword`' }),
    rerank: z.boolean().default(false).openapi({ description: 'Reorder the best candidates with the rerank task (costs a rerank call)' }),
  })
  .strict()
  .openapi('SearchRequest', { example: { query: 'how long do refunds take?', top_k: 3 } });

export const searchResultSchema = z
  .object({
    document_id: z.string(),
    title: z.string(),
    url: z.string().nullable(),
    text: z.string().openapi({ description: 'The matching chunk' }),
    score: z.number().openapi({ description: 'Fused rank score 0–1 (1 = first in every ranking); with rerank, the reranker relevance' }),
    similarity: z.number().nullable().openapi({ description: 'Cosine similarity of the chunk to the query, when the vector side found it' }),
    start: z.number().int().openapi({ description: 'Offset of the chunk in the document’s cleaned text' }),
    end: z.number().int(),
    metadata: z.record(z.string(), metadataValue),
  })
  .openapi('SearchResult');
