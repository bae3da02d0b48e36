import type { Bindings } from '../contracts/env';
import type { ProviderId } from '../contracts/provider-ids';
import type { StreamedPiece } from './chat-types';


/** A tenant's own Hugging Face Inference Endpoint, token decrypted for this one call. */
export interface HfEndpoint {
  url: string;
  token: string;
}

/** One call to one provider: the items to answer and everything that decides how. */
export interface ProviderCall<Item, Options> {
  env: Bindings;
  /** The task, for transports that route per task (dedicated HF endpoints). */
  task: string;
  items: Item[];
  options: Options;
  signal: AbortSignal;
  /** The model to run: the tenant's choice for this provider, else the mapping's default. */
  model: string;
  /** Set when the tenant serves this task from its own HF endpoint (huggingface only). */
  endpoint?: HfEndpoint;
}

/**
 * The one provider interface: a task's mapping onto one provider. Every task lists one per
 * provider that can serve it (`tasks/<task>/providers.ts`), and every one of them passes the same
 * contract suite.
 *
 * `run` returns exactly one result per item, in order, or throws an `ApiError` with status
 * 502/503/504 describing the upstream failure; the router falls back on those.
 */
export interface TaskProvider<Item, Result, Options = unknown> {
  provider: ProviderId;
  /** Catalog id of the model used when the tenant has not chosen one. */
  model: string;
  run(call: ProviderCall<Item, Options>): Promise<Result[]>;
  /**
   * Generation only (the chat task): the answer to the call's one item as text deltas, as the
   * upstream produces them, and — when the item offers tools — each function call once it is
   * whole and checked. Throws an upstream `ApiError` like `run` — before the first delta (the
   * router then falls back) or mid-stream (the caller decides how to continue).
   */
  stream?(call: ProviderCall<Item, Options>): AsyncIterable<StreamedPiece>;
}
