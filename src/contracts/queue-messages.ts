/** The queue messages: what each producer sends and each consumer reads (wrangler.toml names the queues). */

/** One metered request, as sent on the USAGE queue and stored in D1 `usage_events`. */
export interface UsageEvent {
  request_id: string;
  tenant_id: string;
  key_id: string;
  task: string;
  model: string;
  provider: string;
  cache_status: 'HIT' | 'MISS' | 'PARTIAL' | 'COALESCED';
  /** With a cascade: the providers that answered, in order ("local", "local,workers-ai"); else null. */
  cascade_step: string | null;
  items: number;
  cached_items: number;
  units: number;
  cost_usd: number;
  /** What calling the task's default neural model for every item would have cost. */
  baseline_cost_usd: number;
  neurons: number;
  latency_ms: number;
  created_at: string;
}

/**
 * Many usage events in one USAGE message: how the tenant guard forwards a returned lease's events.
 * Queues bills and delivers per message (and per 64 KB), and the consumer writes a pack with one
 * D1 statement, so a hundred cache hits cost one message instead of a hundred.
 */
export interface UsageEventPack {
  kind: 'usage.pack';
  events: UsageEvent[];
}

/** What travels on the USAGE queue: one event (a request the guard admitted itself) or a pack. */
export type UsageMessage = UsageEvent | UsageEventPack;

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

/** What travels on the JOBS queue. The inbound payload rides in the job (≤ 64 KiB, within a message's 128 KB). */
export interface JobMessage {
  kind: 'job';
  jobId: string;
  hookId: string;
  tenantId: string;
  /** The inbound delivery's id (see delivery-key.ts), echoed as `source_delivery_id`. */
  deliveryKey: string;
  /** The key its receipt was claimed under (receiptKeyOf); absent in jobs queued before it existed, where it was the delivery key. */
  receiptKey?: string;
  payload: unknown;
  receivedAt: string;
  /** Times the job was put back because the tenant's rate limit or budget refused it. */
  deferrals: number;
}

/** One attempt of an outbound delivery; `series` tells a replay's messages from older ones. */
export interface DeliverMessage {
  kind: 'deliver';
  deliveryId: string;
  series: number;
}

export type JobsMessage = JobMessage | DeliverMessage;

/**
 * A classifier version to train (src/classifiers), for sets too large to train inside the
 * request. It rides the JOBS queue; the examples wait in KV under the tenant's key
 * (`clf-examples:`), since 5,000 of them do not fit in a 128 KB message.
 */
export interface ClassifierTrainMessage {
  kind: 'classifier.train';
  tenantId: string;
  classifierId: string;
  version: number;
  features: 'lexical' | 'lexical+word-vectors' | 'lexical+word-vectors-100k';
}

/**
 * One chunk of a batch (docs/batches.md) to run: a pointer to rows in D1, never the inputs
 * themselves. Chunks run one after another; each message queues the next.
 */
export interface BatchChunkMessage {
  kind: 'batch.chunk';
  batchId: string;
  tenantId: string;
  /** The chunk's position (0-based); a message for a chunk already done is ignored. */
  seq: number;
  /** Times this chunk was put back because the tenant's rate limit refused it. */
  deferrals: number;
}

/** Everything on the JOBS queue: the webhooks' messages, classifier trainings and batch chunks. */
export type JobsQueueMessage = JobsMessage | ClassifierTrainMessage | BatchChunkMessage;

/** Cloudflare Queues' longest delay for one message. */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;
