/** A function call the model asked for: `arguments` is the JSON text of the call's arguments. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A piece of a streamed answer: text, or one whole function call (assembled from its fragments and checked). */
export type StreamedPiece = string | { toolCall: ToolCall };

/**
 * One turn of a chat prompt, in the role/content form every chat model takes. Agent history
 * (OpenAI chat completions with tools) adds an assistant turn's `tool_calls` and the `tool`
 * turns that answer them by `tool_call_id`.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

/** A function the model may call (OpenAI's `tools[].function`). */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters?: Record<string, unknown>;
  /** Arguments must validate against `parameters` (checked by minnow, not trusted to the model). */
  strict?: boolean;
}

/** OpenAI's `tool_choice`; a named function is `{ name }`. */
export type ToolChoice = 'none' | 'auto' | 'required' | { name: string };

/** OpenAI's `response_format` beyond plain text. */
export type JsonResponseFormat = { type: 'json_object' } | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean };

/** What an agent request adds to a generation: functions to call and/or JSON output. */
export interface AgentOptions {
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  response_format?: JsonResponseFormat;
  /** false: at most one tool call per answer. */
  parallel_tool_calls?: boolean;
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
export interface GenerationRequest extends AgentOptions {
  messages: ChatMessage[];
  max_tokens: number;
  question: string;
  sources: ChatSource[];
}

export interface GenerationResult {
  text: string;
  /** The functions the model called (agent requests); `text` is then often empty. */
  tool_calls?: ToolCall[];
  /** Token counts when the upstream reports them. */
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/** Temperature for every grounded answer: low, so answers stick to the sources and repeat. */
export const CHAT_TEMPERATURE = 0.2;
