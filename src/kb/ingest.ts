import { ApiError } from '../contracts/errors';
import type { TaskContext } from '../pipeline/context';
import { newId, sha256Hex } from '../security/crypto';
import { activateVersion, type Chunk, insertChunks } from '../storage/kb-chunks';
import { type DocumentFormat, type DocumentMetadata, findDocumentBySource, type KbDocument, markDocumentFailed, saveDocumentVersion, updateDocumentDetails } from '../storage/kb-documents';
import { chunkText } from './chunk';
import { cleanDocument } from './clean';
import { embedTexts } from './embed-texts';
import type { KnowledgeBase } from '../storage/knowledge-bases';
import { vectorStoreFor } from './vector-store';

/**
 * Documents up to this many chunks (~16,000 characters) are embedded inside the upload request
 * and are searchable when it returns; larger ones go to the INGEST queue (status `processing`).
 */
export const INLINE_MAX_CHUNKS = 20;

export interface DocumentInput {
  title: string;
  text: string;
  format: DocumentFormat;
  url?: string | undefined;
  metadata?: DocumentMetadata | undefined;
  external_id?: string | undefined;
}

export interface AddedDocument {
  id: string;
  status: KbDocument['status'];
  chunks: number;
  /** `unchanged`: same title and text as the stored version, nothing re-embedded. */
  outcome: 'created' | 'replaced' | 'unchanged';
}

/** A re-added document is "the same one" by the caller's id, else its URL, else its title. */
const sourceKeyOf = (input: DocumentInput) => (input.external_id ? `id:${input.external_id}` : input.url ? `url:${input.url}` : `title:${input.title}`);

/** The text each chunk is embedded as: the title gives a chunk cut from the middle its subject. */
const embeddingText = (title: string, text: string) => `${title}\n${text}`;

/** A document cleaned and chunked once: the upload's estimate, storage and embedding all read this. */
export interface PreparedDocument {
  input: DocumentInput;
  /** The cleaned text ('' when nothing is left once the markup is removed). */
  text: string;
  chunks: Chunk[];
  /** What each chunk is embedded as, in chunk order (for the cost estimate). */
  embeddingTexts: string[];
}

export function prepareDocument(input: DocumentInput): PreparedDocument {
  const text = cleanDocument(input.text, input.format);
  return { input, text, ...chunksOf(input.title, text) };
}

/** A stored version's chunks (its text is already clean), and what each is embedded as. */
export function chunksOf(title: string, text: string): { chunks: Chunk[]; embeddingTexts: string[] } {
  const chunks = chunkText(text);
  return { chunks, embeddingTexts: chunks.map((chunk) => embeddingText(title, chunk.text)) };
}

/**
 * Cleans, versions and stores a document, then embeds it here or on the queue. A changed
 * document keeps its id; its previous chunks answer searches until the new ones are ready.
 */
export async function addDocument(ctx: TaskContext, kb: KnowledgeBase, prepared: PreparedDocument): Promise<AddedDocument> {
  const { env } = ctx;
  const { input, text, chunks } = prepared;
  if (!text) throw new ApiError(400, 'empty_document', `The document has no text once its ${input.format} markup is removed`, { param: 'text' });
  const contentHash = await sha256Hex(`${input.title}\n${text}`);
  const sourceKey = sourceKeyOf(input);
  const existing = await findDocumentBySource(env.DB, kb.tenantId, kb.id, sourceKey);
  const details = { title: input.title, url: input.url ?? null, format: input.format, metadata: input.metadata ?? {} };
  if (existing && existing.contentHash === contentHash && existing.status !== 'failed') {
    await updateDocumentDetails(env.DB, kb.tenantId, existing.id, details);
    return { id: existing.id, status: existing.status, chunks: existing.chunks, outcome: 'unchanged' };
  }
  const id = existing?.id ?? newId('doc');
  await saveDocumentVersion(env.DB, { id, tenantId: kb.tenantId, kbId: kb.id, sourceKey, contentHash, text, ...details });
  const outcome = existing ? 'replaced' : 'created';
  if (chunks.length > INLINE_MAX_CHUNKS) {
    await env.INGEST.send({ kind: 'kb.ingest', tenantId: kb.tenantId, kbId: kb.id, documentId: id, contentHash, keyId: ctx.keyId, requestId: ctx.requestId });
    return { id, status: 'processing', chunks: chunks.length, outcome };
  }
  try {
    await embedAndActivate(ctx, kb, { id, title: input.title, contentHash }, prepared);
  } catch (error) {
    // The upload failed, not the document: the previous version (if any) keeps answering.
    await markDocumentFailed(env.DB, kb.tenantId, id, contentHash, error instanceof Error ? error.message : String(error));
    throw error;
  }
  return { id, status: 'ready', chunks: chunks.length, outcome };
}

/** Embeds one version's chunks, stores them, and makes that version the searchable one. */
export async function embedAndActivate(
  ctx: TaskContext,
  kb: KnowledgeBase,
  doc: { id: string; title: string; contentHash: string },
  { chunks, embeddingTexts }: { chunks: Chunk[]; embeddingTexts: string[] },
): Promise<void> {
  const { env } = ctx;
  const vectors = await embedTexts(ctx, kb, embeddingTexts, 'embed-chunks');
  const store = vectorStoreFor(env, kb);
  const version = doc.contentHash;
  const ids = chunks.map((chunk) => `${doc.id}:${version.slice(0, 12)}:${chunk.position}`);
  await insertChunks(
    env.DB,
    { tenantId: kb.tenantId, kbId: kb.id, documentId: doc.id, version, title: doc.title },
    chunks.map((chunk, i) => ({ ...chunk, id: ids[i]!, vector: store.rowVector(vectors[i]!) })),
  );
  await store.put(kb.tenantId, chunks.map((_, i) => ({ id: ids[i]!, kbId: kb.id, documentId: doc.id, vector: vectors[i]! })));
  const { removed } = await activateVersion(env.DB, kb.tenantId, doc.id, version, chunks.length);
  if (removed.length > 0) await store.remove(kb.tenantId, removed);
}
