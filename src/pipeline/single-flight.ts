import { flightsFor } from '../durable-objects/flight-coordinator/client';
import type { Bindings } from '../contracts/env';
import type { CachedResult } from '../storage/response-cache';

/** Requests in this isolate answering a key right now: others with the same key await them. */
const inIsolate = new Map<string, Promise<CachedResult | null>>();

export interface FlightOutcome<Answer> {
  /** Per key: the leader's answer when this request followed one, else null. */
  coalesced: (CachedResult | null)[];
  /** What `answer` returned for the keys this request had to answer itself (positions into keys). */
  own: { positions: number[]; answer: Answer }[];
}

interface Deferred {
  promise: Promise<CachedResult | null>;
  resolve(value: CachedResult | null): void;
}

function deferred(): Deferred {
  let resolve!: (value: CachedResult | null) => void;
  const promise = new Promise<CachedResult | null>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * Single-flight for cache misses: of concurrent requests needing the same keys, one calls the
 * provider and the others are answered from it. First within the isolate (no I/O), then across
 * isolates through the tenant's FlightCoordinator (`crossIsolate`). `answer(positions)` answers
 * the given keys and `shareable(answer)` turns its outcome into what followers receive.
 */
export async function singleFlight<Answer>(
  env: Bindings,
  options: { tenantId: string; keys: string[]; crossIsolate: boolean; ttlMs: number },
  answer: (positions: number[]) => Promise<Answer>,
  shareable: (answer: Answer, positions: number[]) => (CachedResult | null)[],
): Promise<FlightOutcome<Answer>> {
  const { keys } = options;
  const coalesced: (CachedResult | null)[] = keys.map(() => null);
  const useIsolate = env.SINGLE_FLIGHT_IN_ISOLATE !== 'off';
  const localFollow = useIsolate ? keys.flatMap((key, position) => (inIsolate.has(key) ? [position] : [])) : [];
  // Taken now: the leader removes its entry when it lands, possibly before we get to await it.
  const localPromises = localFollow.map((position) => inIsolate.get(keys[position]!)!);
  let lead = keys.flatMap((_key, position) => (localFollow.includes(position) ? [] : [position]));
  let remoteFollow: number[] = [];

  const coordinator = options.crossIsolate && lead.length > 0 ? flightsFor(env, options.tenantId) : undefined;
  if (coordinator) {
    const joined = await coordinator.join(lead.map((position) => keys[position]!), options.ttlMs);
    const followKeys = new Set(joined.follow);
    remoteFollow = lead.filter((position) => followKeys.has(keys[position]!));
    lead = lead.filter((position) => !followKeys.has(keys[position]!));
  }

  const own: FlightOutcome<Answer>['own'] = [];
  const mine = new Map(lead.map((position) => [position, deferred()]));
  if (useIsolate) for (const [position, pending] of mine) inIsolate.set(keys[position]!, pending.promise);
  const release = (values: Map<number, CachedResult | null>) => {
    for (const [position, pending] of mine) {
      pending.resolve(values.get(position) ?? null);
      if (inIsolate.get(keys[position]!) === pending.promise) inIsolate.delete(keys[position]!);
    }
    return coordinator?.complete(lead.map((position) => ({ key: keys[position]!, value: values.get(position) ?? null })));
  };

  if (lead.length > 0) {
    try {
      const result = await answer(lead);
      own.push({ positions: lead, answer: result });
      const values = shareable(result, lead);
      await release(new Map(lead.map((position, index) => [position, values[index] ?? null])));
    } catch (error) {
      await release(new Map());
      throw error;
    }
  }

  const followers = [...localFollow, ...remoteFollow];
  const answers = await Promise.all([
    ...localPromises,
    ...(coordinator && remoteFollow.length > 0 ? [coordinator.wait(remoteFollow.map((position) => keys[position]!))] : []),
  ]);
  const remoteAnswers = (remoteFollow.length > 0 ? answers.pop() : []) as (CachedResult | null)[];
  localFollow.forEach((position, index) => (coalesced[position] = (answers[index] as CachedResult | null) ?? null));
  remoteFollow.forEach((position, index) => (coalesced[position] = remoteAnswers[index] ?? null));

  // A leader that failed or had nothing to share: answer those keys ourselves, once.
  const unanswered = followers.filter((position) => coalesced[position] === null);
  if (unanswered.length > 0) own.push({ positions: unanswered, answer: await answer(unanswered) });
  return { coalesced, own };
}
