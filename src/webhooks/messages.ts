/** What travels on the JOBS queue. The inbound payload rides in the job (≤ 64 KiB, within a message's 128 KB). */
export interface JobMessage {
  kind: 'job';
  jobId: string;
  hookId: string;
  tenantId: string;
  /** The inbound delivery's id (see delivery-key.ts), echoed as `source_delivery_id`. */
  deliveryKey: string;
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

/** Cloudflare Queues' longest delay for one message. */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;
