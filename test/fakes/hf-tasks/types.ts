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
