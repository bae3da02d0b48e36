/** One turn of a chat prompt, in the role/content form every chat model takes. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A numbered source the answer may cite as `[index]`. */
export interface ChatSource {
  index: number;
  title: string;
  text: string;
}

/**
 * One generation: the prompt for neural models, plus what the local tier needs to answer without
 * one (the question and the numbered sources it can quote).
 */
export interface GenerationRequest {
  messages: ChatMessage[];
  max_tokens: number;
  question: string;
  sources: ChatSource[];
}

export interface GenerationResult {
  text: string;
  /** Token counts when the upstream reports them. */
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/** Temperature for every grounded answer: low, so answers stick to the sources and repeat. */
export const CHAT_TEMPERATURE = 0.2;
