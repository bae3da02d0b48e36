/** A Server-Sent Events response body written as the answer is produced. */
export interface SseWriter {
  readonly readable: ReadableStream<Uint8Array>;
  /** Aborted when the client goes away (the response body was cancelled). */
  readonly clientGone: AbortSignal;
  /** `event: <name>` + `data: <json>`; without a name, a bare `data:` event (OpenAI's format). */
  send(event: string | null, data: unknown): Promise<void>;
  close(): Promise<void>;
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };

export function sseWriter(): SseWriter {
  const encoder = new TextEncoder();
  const gone = new AbortController();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const readable = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    cancel() {
      closed = true;
      gone.abort();
    },
  });
  return {
    readable,
    clientGone: gone.signal,
    async send(event, data) {
      if (closed) return;
      const payload = typeof data === 'string' ? data : JSON.stringify(data);
      controller.enqueue(encoder.encode(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`));
    },
    async close() {
      if (closed) return;
      closed = true;
      controller.close();
    },
  };
}
