/** What a stand-in handler answers: an HTTP status and a JSON body. */
export interface HfReply {
  status: number;
  body: unknown;
}

/**
 * One task on the Hugging Face stand-in. `models` are the model ids served at
 * `/models/<id>` (serverless); `/endpoints/<task>/<anything>` reaches the same handler as a
 * dedicated endpoint would. `handle` gets the parsed `{ inputs, parameters }` body.
 */
export interface HfTaskHandler {
  task: string;
  models: string[];
  handle(body: { inputs?: unknown; parameters?: Record<string, unknown> } & Record<string, unknown>): HfReply;
}

export const ok = (body: unknown): HfReply => ({ status: 200, body });
export const invalid = (error: string): HfReply => ({ status: 400, body: { error } });

/**
 * text-embeddings-inference's client batch cap (`--max-client-batch-size`, default 32; TEI
 * router/src/http/server.rs refuses a larger request before it runs). The body is TEI's
 * `{error, error_type}`; the status is 413, what server.rs documents for "Batch size error"
 * (UPSTREAMS.md §2.4 lists 422 for TEI's validation errors — minnow reads the stated maximum
 * from the message, whichever status carries it).
 */
export const TEI_MAX_CLIENT_BATCH = 32;
export const teiBatchTooLarge = (size: number): HfReply | undefined =>
  size > TEI_MAX_CLIENT_BATCH
    ? { status: 413, body: { error: `batch size ${size} > maximum allowed batch size ${TEI_MAX_CLIENT_BATCH}`, error_type: 'Validation' } }
    : undefined;
