import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { UsageEvent, UsageMessage } from '../src/contracts/queue-messages';
import { guardFor } from '../src/durable-objects/tenant-guard/client';
import { packsOf, UsageOutbox } from '../src/durable-objects/tenant-guard/usage-outbox';
import { eventsIn } from '../src/usage/consumer';

const event = (index: number): UsageEvent => ({
  request_id: `req_outbox_${index}`, tenant_id: 'ten_outbox', key_id: 'key_outbox', task: 'sentiment', model: 'm', provider: 'local',
  cache_status: 'HIT', cascade_step: null, items: 1, cached_items: 1, units: 1, cost_usd: 0, baseline_cost_usd: 0, neurons: 0, latency_ms: 1, created_at: new Date().toISOString(),
});

/**
 * A queue that refuses while `down` (as Queues does when unavailable), else records each send.
 * The storage is the guard's real SQLite; only the queue's failure is injected.
 */
function queue() {
  const sent: UsageEvent[][] = [];
  const messagesSent: number[] = [];
  const state = { down: true };
  const binding = {
    async sendBatch(messages: Iterable<{ body: UsageMessage }>) {
      if (state.down) throw new Error('Queue send failed: service unavailable');
      const bodies = [...messages].map((message) => message.body);
      messagesSent.push(bodies.length);
      sent.push(bodies.flatMap(eventsIn));
    },
  } as unknown as Queue<UsageMessage>;
  return { binding, sent, messagesSent, state };
}

describe('the guard\'s usage outbox', () => {
  it('keeps what the queue refused, and sends it all, in order and in batches of 100, once the queue is back', async () => {
    const stub = guardFor(env, `ten_outbox_${crypto.randomUUID()}`);
    await runInDurableObject(stub, async (_guard, state) => {
      const { binding, sent, state: q } = queue();
      const outbox = new UsageOutbox(state.storage.sql, binding);
      const events = Array.from({ length: 250 }, (_, index) => event(index));
      expect(await outbox.add(events.slice(0, 150))()).toBe(false);
      expect(await outbox.add(events.slice(150))()).toBe(false);
      expect(outbox.size).toBe(250);
      q.down = false;
      expect(await outbox.flush()).toBe(true);
      expect(outbox.size).toBe(0);
      expect(sent.every((batch) => batch.length <= 100)).toBe(true);
      expect(sent.flat().map((e) => e.request_id)).toEqual(events.map((e) => e.request_id));
    });
  });

  it('sends what it just stored without reading it back, and keeps nothing once sent', async () => {
    const stub = guardFor(env, `ten_outbox_${crypto.randomUUID()}`);
    await runInDurableObject(stub, async (_guard, state) => {
      const { binding, sent, messagesSent, state: q } = queue();
      q.down = false;
      const outbox = new UsageOutbox(state.storage.sql, binding);
      const send = outbox.add(Array.from({ length: 120 }, (_, index) => event(index)));
      // Stored before anything is sent: durable once the guard's answer is out.
      expect(outbox.size).toBe(120);
      expect(await send()).toBe(true);
      expect(outbox.size).toBe(0);
      expect(sent.map((batch) => batch.length)).toEqual([100, 20]);
      // A hundred events travel as one message (a pack), not a hundred.
      expect(messagesSent).toEqual([1, 1]);
    });
  });

  it('cuts a row whose events are unusually long into packs a queue message can hold (128 KB)', () => {
    const long = Array.from({ length: 100 }, (_, index) => ({ ...event(index), model: `org/${'m'.repeat(2_000)}` }));
    const packs = packsOf(long, JSON.stringify(long).length);
    expect(packs.length).toBeGreaterThan(1);
    expect(packs.every((pack) => JSON.stringify(pack).length < 128_000)).toBe(true);
    expect(packs.flatMap((pack) => pack.events).map((e) => e.request_id)).toEqual(long.map((e) => e.request_id));
    expect(packsOf(long.slice(0, 100).map((e) => ({ ...e, model: 'm' })), 40_000)).toHaveLength(1);
  });
});
