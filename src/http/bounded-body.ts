/**
 * The most of an oversized chunked body read and dropped before it is refused (see readBoundedBody).
 * Far above any size limit of the API (1 MiB, a batch's 10 MiB), so an ordinary oversized upload is
 * read to its end; a body still arriving past it is cancelled.
 */
export const DRAIN_BYTES = 32 * 1024 * 1024;

/**
 * Reads a request body, counting as it goes (a chunked one declares no size), so no stream grows past
 * `maxBytes`: its bytes, or undefined when it is larger. An oversized body is read to its end and
 * dropped — up to DRAIN_BYTES — before the caller answers 413: answering while a chunked body was
 * still arriving made the local server (wrangler dev's proxy) restart and fail the next request,
 * whoever sent it (black-box pass, 2026-12-03); cancelling the stream did the same. On Cloudflare
 * an unread body is harmless, and the bound keeps a client that streams without end from holding
 * the Worker: dropping chunks costs no memory and little CPU.
 */
export async function readBoundedBody(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await drain(reader, size);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let read = alreadyRead;
  while (read <= DRAIN_BYTES) {
    const { done, value } = await reader.read();
    if (done) return;
    read += value.byteLength;
  }
  await reader.cancel('request body too large');
}
