import { env } from 'cloudflare:test';

/**
 * The Worker's bindings with D1 failing every statement whose SQL matches `pattern`: a crash at a
 * chosen point of a consumer's work, after everything before it has taken effect.
 */
export function withFailingStatement(pattern: RegExp): Cloudflare.Env {
  const db = env.DB;
  const failing: D1Database = {
    prepare: (sql: string) => (pattern.test(sql) ? db.prepare('SELECT * FROM simulated_crash_no_such_table') : db.prepare(sql)),
    batch: (statements) => db.batch(statements),
    exec: (sql) => db.exec(sql),
    dump: () => db.dump(),
    withSession: (constraint) => db.withSession(constraint),
  };
  return { ...env, DB: failing };
}

/** The Worker's bindings with the JOBS queue refusing every send (the queue unavailable mid-job). */
export function withJobsQueueDown(): Cloudflare.Env {
  const down = async () => {
    throw new Error('simulated: queue unavailable');
  };
  return { ...env, JOBS: { send: down, sendBatch: down } as unknown as Queue };
}

export async function countRows(sql: string, ...values: unknown[]): Promise<number> {
  return (await env.DB.prepare(sql).bind(...values).first<number>('n')) ?? 0;
}
