/** A Server-Sent Events response body written as the answer is produced. */
export interface SseWriter {
  readonly readable: ReadableStream<Uint8Array>;
  /** `event: <name>` + `data: <json>`; without a name, a bare `data:` event (OpenAI's format). */
  send(event: string | null, data: unknown): Promise<void>;
  close(): Promise<void>;
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };

export function sseWriter(): SseWriter {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  let closed = false;
  return {
    readable,
    async send(event, data) {
      if (closed) return;
      const payload = typeof data === 'string' ? data : JSON.stringify(data);
      // A client that went away must not turn the rest of the turn into an exception.
      await writer.write(encoder.encode(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`)).catch(() => {
        closed = true;
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await writer.close().catch(() => undefined);
    },
  };
}
