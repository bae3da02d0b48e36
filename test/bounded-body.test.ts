import { describe, expect, it } from 'vitest';
import { DRAIN_BYTES, readBoundedBody } from '../src/http/bounded-body';

/** A stream of `chunks` chunks of `size` bytes (endless when Infinity) that counts what was pulled and whether it was cancelled. */
function counted(chunks: number, size = 64 * 1024) {
  const chunk = new Uint8Array(size).fill(97);
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= chunks) return controller.close();
      state.pulled++;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe('reading a request body within a limit', () => {
  it('returns the bytes of a body within the limit, in order', async () => {
    const parts = ['{"text":', '"caf', 'é"}'].map((part) => new TextEncoder().encode(part));
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => (parts.forEach((part) => controller.enqueue(part)), controller.close()) });
    expect(new TextDecoder().decode(await readBoundedBody(stream, 100))).toBe('{"text":"café"}');
  });

  it('refuses a larger body after reading it to its end, so the sender is not cut off mid-stream', async () => {
    const { stream, state } = counted(40);
    expect(await readBoundedBody(stream, 1024 * 1024)).toBeUndefined();
    expect(state).toEqual({ pulled: 40, cancelled: false });
  });

  it('stops reading a body that never ends once DRAIN_BYTES are past, and cancels it', async () => {
    const { stream, state } = counted(Infinity);
    expect(await readBoundedBody(stream, 1024 * 1024)).toBeUndefined();
    expect(state.cancelled).toBe(true);
    expect(state.pulled * 64 * 1024).toBeGreaterThan(DRAIN_BYTES);
    // The stream's queue may hold a chunk or two ahead of the reader.
    expect(state.pulled * 64 * 1024).toBeLessThanOrEqual(DRAIN_BYTES + 3 * 64 * 1024);
  });
});
