/** A queued request to embed one version of a document (the text itself stays in D1). */
export interface IngestMessage {
  kind: 'kb.ingest';
  tenantId: string;
  kbId: string;
  documentId: string;
  /** The version to embed; a newer upload makes this message obsolete. */
  contentHash: string;
  /** The key that uploaded it: the embedding is metered to it. */
  keyId: string;
  requestId: string;
}
