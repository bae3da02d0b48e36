import { env } from 'cloudflare:test';
import { prepareBatch } from '../../src/batches/prepare';
import { insertBatch } from '../../src/storage/batches';
import { call, eventually, json, uniqueText, type TestTenant } from '../support/api';

/** Creates a batch; fails the test unless it is accepted. */
export async function createBatch(tenant: TestTenant, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any> {
  const response = await call('/v1/batches', { headers: { ...tenant.auth, ...headers }, body });
  const created = await json(response);
  if (response.status !== 202) throw new Error(`creating the batch failed (${response.status}): ${JSON.stringify(created)}`);
  return created;
}

export const getBatch = async (tenant: TestTenant, id: string): Promise<any> => json(await call(`/v1/batches/${id}`, { headers: tenant.auth }));

/** Polls until the batch has ended (completed or cancelled), up to `seconds`. */
export async function settled(tenant: TestTenant, id: string, seconds = 30): Promise<any> {
  return eventually(() => getBatch(tenant, id), (batch) => batch.status === 'completed' || batch.status === 'cancelled', seconds * 10);
}

/** The batch's result lines, parsed, with the response's headers. */
export async function results(tenant: TestTenant, id: string, after?: number): Promise<{ response: Response; lines: any[] }> {
  const response = await call(`/v1/batches/${id}/results${after === undefined ? '' : `?after=${after}`}`, { headers: tenant.auth });
  const text = new TextDecoder().decode(await response.arrayBuffer());
  return { response, lines: text.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line)) };
}

/** A stored batch with no message queued for it yet, so the test hands the consumer its messages itself. */
export async function storedBatch(tenant: TestTenant, count: number): Promise<string> {
  const prepared = prepareBatch({ task: 'sentiment', inputs: Array.from({ length: count }, () => ({ text: uniqueText('Works well') })) });
  const id = `batch_edge${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await insertBatch(env.DB, { id, tenant_id: tenant.id, key_id: tenant.keyId, task: 'sentiment', total: prepared.total, chunks: prepared.chunks.length, idempotency_key: null, request_hash: null, created_at: new Date().toISOString() }, prepared.chunks);
  return id;
}

