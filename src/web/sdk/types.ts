/**
 * Public types of the browser SDK (served as /sdk.d.ts). Request bodies mirror the routes'
 * JSON bodies; /openapi.json holds the full schemas with their limits.
 */
export type Texts = string | string[];

export interface ClientOptions {
  /** A publishable key (pk_…) allowed for this page's origin. */
  key: string;
  /** Where minnow runs. Default: the origin this module was loaded from. */
  baseUrl?: string;
  /** Retries of a 429, or a 503 with `Retry-After`, waiting what `Retry-After` says. Default 2. */
  maxRetries?: number;
  /** The longest `Retry-After` worth waiting for, in seconds; longer ones fail at once. Default 20. */
  maxRetryDelaySeconds?: number;
  /**
   * Ask for a signed visitor token (POST /v1/visitor-token) and send it with every request, so
   * this visitor's own limit follows it (inside its IP's, which tokens never widen) and one
   * Turnstile pass covers the token's hour. Default false.
   */
  visitorToken?: boolean;
  /** For keys with Turnstile on: returns a fresh widget token when the SDK needs one ("" for none). */
  turnstile?: () => string | Promise<string>;
  /** Replaces `fetch` (tests, other runtimes). */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** `true` sends `Cache-Control: no-cache`: skip minnow's cache for this call. */
  noCache?: boolean;
}

export interface Usage {
  items: number;
  cached_items: number;
  units: number;
  cost_usd: number;
  neurons?: number;
}

/** What every task answers: one result per input, in input order. */
export interface Envelope<R> {
  id: string;
  task: string;
  model: string;
  provider: string;
  results: R[];
  cached: boolean;
  fallback_from?: unknown[];
  usage: Usage;
}

export interface LabelScore {
  label: string;
  score: number;
}
export interface SentimentResult {
  label: 'positive' | 'negative' | 'neutral';
  score: number;
}
export interface Entity {
  type: string;
  text: string;
  start: number;
  end: number;
  score: number;
}

export interface TaskMethods {
  sentiment(body: { text: Texts }, options?: RequestOptions): Promise<Envelope<SentimentResult>>;
  classify(body: { text: Texts; labels: string[]; multi_label?: boolean }, options?: RequestOptions): Promise<Envelope<{ labels: LabelScore[] }>>;
  entities(body: { text: Texts; types?: string[] }, options?: RequestOptions): Promise<Envelope<{ entities: Entity[] }>>;
  language(body: { text: Texts }, options?: RequestOptions): Promise<Envelope<{ language: string; score: number; alternatives: { language: string; score: number }[] }>>;
  embed(body: { text: Texts; model?: string }, options?: RequestOptions): Promise<Envelope<{ embedding: number[]; dims: number }>>;
  similarity(body: { source: string; targets: string[] }, options?: RequestOptions): Promise<Envelope<{ score: number }>>;
  rerank(body: { query: string; documents: string[]; top_k?: number }, options?: RequestOptions): Promise<Envelope<{ index: number; score: number }>>;
  answer(body: { question: string; context: string }, options?: RequestOptions): Promise<Envelope<{ answer: string; score: number; start: number; end: number }>>;
  moderate(body: { text: Texts }, options?: RequestOptions): Promise<Envelope<{ flagged: boolean; categories: Record<string, unknown> }>>;
  summarize(body: { text: Texts; max_words?: number }, options?: RequestOptions): Promise<Envelope<{ summary: string }>>;
  translate(body: { text: Texts; target: string; source?: string }, options?: RequestOptions): Promise<Envelope<{ translation: string; source: string }>>;
}

export interface SearchParams {
  query: string;
  top_k?: number;
  filter?: Record<string, unknown>;
}
export interface SearchResult {
  document_id: string;
  title: string;
  text: string;
  score: number;
  start: number;
  end: number;
  url?: string;
}

export interface ChatParams {
  bot: string;
  message: string;
  conversation_id?: string;
}
export interface Citation {
  index: number;
  document_id: string;
  title: string;
  url?: string;
  text: string;
}
export interface Handoff {
  reason: string;
  message: string;
}
export interface ChatResponse {
  id: string;
  conversation_id: string;
  bot: string;
  message: { role: 'assistant'; content: string };
  citations: Citation[];
  handoff?: Handoff;
  mode: 'generated' | 'quoted';
  model: string;
  provider: string;
  usage: { cost_usd: number };
}

/** The streamed answer, event by event (a server `error` event is thrown as a MinnowError). */
export type ChatEvent =
  | { type: 'start'; conversation_id: string; citations: Citation[] }
  | { type: 'delta'; content: string }
  | { type: 'handoff'; reason: string; message: string }
  | { type: 'done'; response: ChatResponse };

export interface MinnowClient extends TaskMethods {
  search(kb: string, params: SearchParams, options?: RequestOptions): Promise<{ results: SearchResult[] }>;
  chat(params: ChatParams, options?: RequestOptions): Promise<ChatResponse>;
  chatStream(params: ChatParams, options?: RequestOptions): AsyncIterable<ChatEvent>;
}
