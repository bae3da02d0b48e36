import { afterAll, beforeAll, expect, vi } from 'vitest';

/**
 * The Worker logs `{"level":"error"}` for what it did not expect: an unhandled error turned into a
 * 500, a queue message that threw, a chat turn that failed. Answers can look fine while a queue
 * consumer or a waitUntil task fails behind them, so each hostile file also asserts that nothing
 * was logged at that level. (The Worker runs in the test's isolate, so this spy sees its console.)
 */
export function failOnErrorLogs(): void {
  const lines: string[] = [];
  let spy: { mockRestore(): void } | undefined;
  beforeAll(() => {
    const original = console.error.bind(console);
    spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
      original(...args);
    });
  });
  afterAll(async () => {
    // Let queued jobs and waitUntil work started by the last requests finish and log.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    spy?.mockRestore();
    expect(lines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });
}
