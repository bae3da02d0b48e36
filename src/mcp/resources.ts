import type { Context } from 'hono';
import type { ReadResourceResult, Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { countDocuments, documentText, findDocument, listDocuments, type KbDocument } from '../storage/kb-documents';
import { findKnowledgeBase, listKnowledgeBases, type KnowledgeBase } from '../storage/knowledge-bases';

/** Documents a knowledge base's resource lists (the newest first pages of GET /v1/kb/{id}/documents). */
const LISTED_DOCUMENTS = 100;

const kbUri = (kb: { id: string }) => `minnow://kb/${kb.id}`;
const documentUri = (kbId: string, doc: { id: string }) => `minnow://kb/${kbId}/documents/${doc.id}`;

export const DOCUMENT_TEMPLATE: ResourceTemplate = {
  uriTemplate: 'minnow://kb/{kb_id}/documents/{document_id}',
  name: 'document',
  title: 'A document of one of your knowledge bases',
  description: 'The cleaned text its chunks were cut from, with its title, url and metadata; read only',
  mimeType: 'text/plain',
};

/** The tenant's knowledge bases, each a resource (reading one lists its documents). */
export async function knowledgeBaseResources(c: Context<AppEnv>, tenantId: string): Promise<Resource[]> {
  const kbs = await listKnowledgeBases(c.env.DB, tenantId);
  return kbs.map((kb) => ({ uri: kbUri(kb), name: kb.name, title: `Knowledge base “${kb.name}”`, description: `Knowledge base ${kb.id}: its documents (search it with kb_search, kb_id "${kb.id}")`, mimeType: 'application/json' }));
}

const presentKnowledgeBase = (kb: KnowledgeBase) => ({ id: kb.id, object: 'knowledge_base', name: kb.name, embedding: kb.embedding, store: kb.store, created_at: kb.createdAt });
const presentDocument = (kbId: string, doc: KbDocument) => ({ id: doc.id, uri: documentUri(kbId, doc), title: doc.title, url: doc.url, format: doc.format, metadata: doc.metadata, status: doc.status, chunks: doc.chunks, characters: doc.chars, updated_at: doc.updatedAt });

const notFound = (uri: string) => new ApiError(404, 'resource_not_found', `No resource ${uri.slice(0, 200)}`, { param: 'uri' });

/**
 * Reads `minnow://kb/{id}` (the knowledge base and its documents) or
 * `minnow://kb/{id}/documents/{doc}` (the document's text). Every lookup filters on the tenant, so
 * another tenant's ids read as nothing at all.
 */
export async function readResource(c: Context<AppEnv>, tenantId: string, uri: string): Promise<ReadResourceResult> {
  const match = /^minnow:\/\/kb\/([\w-]{1,100})(?:\/documents\/([\w-]{1,100}))?$/.exec(uri);
  if (!match) throw notFound(uri);
  const [, kbId, docId] = match as unknown as [string, string, string | undefined];
  const kb = await findKnowledgeBase(c.env.DB, tenantId, kbId);
  if (!kb) throw notFound(uri);
  if (docId === undefined) {
    const [counts, documents] = await Promise.all([countDocuments(c.env.DB, tenantId, kb.id), listDocuments(c.env.DB, tenantId, kb.id, LISTED_DOCUMENTS + 1)]);
    // Like GET /v1/kb/{id} (with its counts) and a first page of GET /v1/kb/{id}/documents (`data`), each document with its uri.
    const body = { ...presentKnowledgeBase(kb), ...counts, data: documents.slice(0, LISTED_DOCUMENTS).map((doc) => presentDocument(kb.id, doc)), has_more: documents.length > LISTED_DOCUMENTS };
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(body) }] };
  }
  const doc = await findDocument(c.env.DB, tenantId, kb.id, docId);
  const text = doc ? await documentText(c.env.DB, tenantId, doc.id) : null;
  if (!doc || text === null) throw notFound(uri);
  return { contents: [{ uri, mimeType: 'text/plain', text, _meta: { 'minnow/document': presentDocument(kb.id, doc) } }] };
}
