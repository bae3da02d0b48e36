import type { Bindings } from '../contracts/env';
import { admitBackground } from '../admission/background';
import { withHeldReservation } from '../pipeline/step-context';
import { documentText, findDocument, markDocumentFailed } from '../storage/kb-documents';
import { findKnowledgeBase } from '../storage/knowledge-bases';
import { embeddingEstimate } from './embed-texts';
import { chunksOf, embedAndActivate } from './ingest';
import type { IngestMessage } from '../contracts/queue-messages';

/** Attempts before a document is marked failed (wrangler.toml's max_retries + 1). */
export const INGEST_MAX_ATTEMPTS = 5;

const REFUSALS: Record<string, string> = {
  budget_exhausted: 'budget_exhausted: the tenant budget is spent',
  key_revoked: 'key_revoked: the key that uploaded this was revoked',
  unknown_tenant: 'unknown_tenant',
};

/** Exponential backoff for a failed embedding attempt: 10 s, 20 s, 40 s … capped at 5 minutes. */
const backoffSeconds = (attempts: number) => Math.min(300, 10 * 2 ** (attempts - 1));

/**
 * Embeds queued document versions. A message is only a pointer (the text is in D1), so a newer
 * upload or a deletion simply makes it obsolete. Rate-limited work waits; a spent budget or a
 * final failure marks the version failed — the previous version, if any, keeps answering.
 */
export async function consumeIngest(batch: MessageBatch<IngestMessage>, env: Bindings, ctx: ExecutionContext): Promise<void> {
  for (const message of batch.messages) {
    const job = message.body;
    const kb = await findKnowledgeBase(env.DB, job.tenantId, job.kbId);
    const doc = kb && (await findDocument(env.DB, job.tenantId, job.kbId, job.documentId));
    const text = doc && doc.contentHash === job.contentHash && doc.status === 'processing' ? await documentText(env.DB, job.tenantId, doc.id) : null;
    if (!kb || !doc || text === null) {
      message.ack();
      continue;
    }
    const chunked = chunksOf(doc.title, text);
    const estimate = embeddingEstimate(env, chunked.embeddingTexts, kb.embedding.model);
    const { admission, context } = await admitBackground(env, { tenantId: job.tenantId, keyId: job.keyId, requestId: `${job.requestId}:ingest-${message.attempts}`, estimate }, (promise) => ctx.waitUntil(promise));
    if (admission.outcome === 'rate_limited') {
      // Waits its turn: nothing is lost, the tenant's rate limit applies to background work too.
      message.retry({ delaySeconds: Math.max(1, admission.retryAfterSeconds) });
      continue;
    }
    if (!context) {
      await markDocumentFailed(env.DB, job.tenantId, doc.id, job.contentHash, REFUSALS[admission.outcome] ?? admission.outcome);
      message.ack();
      continue;
    }
    try {
      await withHeldReservation(context, (steps) => embedAndActivate(steps, kb, { id: doc.id, title: doc.title, contentHash: job.contentHash }, chunked));
      message.ack();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (message.attempts >= INGEST_MAX_ATTEMPTS) {
        await markDocumentFailed(env.DB, job.tenantId, doc.id, job.contentHash, `embedding failed after ${message.attempts} attempts: ${reason}`);
        message.ack();
      } else {
        message.retry({ delaySeconds: backoffSeconds(message.attempts) });
      }
    }
  }
}
