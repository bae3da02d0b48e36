import { chunkIdsFrom, resultLines, type BatchRow } from '../storage/batches';
import { cancelledLine } from './present';

const encoder = new TextEncoder();

/**
 * The batch's result lines after index `after`, streamed page by page (each page bounded in rows
 * and bytes), so a 10,000-item download never sits whole in memory. A cancelled batch ends with a
 * `cancelled` line for each item that did not run, made from the stored ids.
 */
export function resultsStream(db: D1Database, batch: BatchRow, after: number): ReadableStream<Uint8Array> {
  let last = after;
  let stored = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stored) {
        const page = await resultLines(db, batch.id, last);
        if (page.length > 0) {
          last = page.at(-1)!.idx;
          controller.enqueue(encoder.encode(page.map((row) => `${row.line}\n`).join('')));
          return;
        }
        stored = false;
      }
      if (batch.status === 'cancelled') {
        const lines = (await chunkIdsFrom(db, batch.id, batch.next_chunk)).flatMap((chunk) =>
          chunk.ids.flatMap((id, k) => (chunk.firstIndex + k > last ? [`${cancelledLine(batch.id, id, chunk.firstIndex + k)}\n`] : [])),
        );
        if (lines.length > 0) controller.enqueue(encoder.encode(lines.join('')));
      }
      controller.close();
    },
  });
}
