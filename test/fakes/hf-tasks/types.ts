/** What a stand-in handler answers: an HTTP status and a JSON body. */
export interface HfReply {
  status: number;
  body: unknown;
  /** A body that is not JSON (axum's plain-text rejections), sent as is with this Content-Type. */
  contentType?: string;
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
 * `{error, error_type: "Validation"}` (router/src/lib.rs `ErrorType`, serialized as named); the
 * status is 422, what server.rs maps `ErrorType::Validation` to (`impl From<&ErrorType> for
 * StatusCode`) — its OpenAPI annotation says 413, the code sends 422. minnow reads the stated
 * maximum from the message, whichever status carries it.
 */
export const TEI_MAX_CLIENT_BATCH = 32;
export const teiBatchTooLarge = (size: number): HfReply | undefined =>
  size > TEI_MAX_CLIENT_BATCH
    ? { status: 422, body: { error: `batch size ${size} > maximum allowed batch size ${TEI_MAX_CLIENT_BATCH}`, error_type: 'Validation' } }
    : undefined;

/**
 * TEI's handlers take their body through axum's `Json` extractor (router/src/http/server.rs,
 * axum 0.7): a body of the wrong shape is refused before TEI sees it, 422 with axum's plain-text
 * rejection, not TEI's JSON error.
 */
export const axumJsonRejection = (detail: string): HfReply => ({
  status: 422,
  body: `Failed to deserialize the JSON body into the target type: ${detail}`,
  contentType: 'text/plain; charset=utf-8',
});
