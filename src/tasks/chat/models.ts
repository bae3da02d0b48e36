import type { CatalogModel } from '../../providers/pricing';
import { HF_CHAT_MODEL } from '../../providers/huggingface/chat';
import { LOCAL_CHAT_MODEL } from '../../providers/local/chat-quote';
import type { ProviderId } from '../../contracts/provider-ids';
import { WORKERS_AI_CHAT_MODEL } from '../../providers/workers-ai/chat';

/** The Workers AI model for agents: function calling and JSON mode. */
export const WORKERS_AI_AGENT_MODEL = '@cf/meta/llama-4-scout-17b-16e-instruct';

/**
 * Billing unit: INPUT-TOKEN EQUIVALENTS, as for summarize: a generation model charges input and
 * output tokens at different rates, so a turn's units are its estimated prompt tokens plus its
 * output allowance (`max_tokens`) weighted by the dearest output/input price ratio below
 * (llama-3.2-1b: 0.201 / 0.027 ≈ 7.44), priced at the input rate — an upper bound, never below
 * what the call can cost.
 */
export const OUTPUT_TOKEN_WEIGHT = 0.201 / 0.027;

/** The chat (generation) models, with Workers AI's published input prices (UPSTREAMS.md §1.2). */
export const chatModels: CatalogModel[] = [
  {
    id: WORKERS_AI_CHAT_MODEL,
    task: 'chat',
    provider: 'workers-ai',
    description: 'Llama 3.2 1B Instruct: grounded answers with citations ($0.027/M input, $0.201/M output tokens)',
    max_input_tokens: 60_000,
    price: { unit: 'input_token', usd_per_million: 0.027, neurons_per_million: 2457, source: 'published' },
  },
  {
    id: '@cf/meta/llama-3.2-3b-instruct',
    task: 'chat',
    provider: 'workers-ai',
    description: 'Llama 3.2 3B Instruct: the larger small model ($0.051/M input, $0.335/M output tokens)',
    max_input_tokens: 80_000,
    price: { unit: 'input_token', usd_per_million: 0.051, neurons_per_million: 4625, source: 'published' },
  },
  {
    id: WORKERS_AI_AGENT_MODEL,
    task: 'chat',
    provider: 'workers-ai',
    description: 'Llama 4 Scout 17B (16 experts): function calling and JSON mode for agents ($0.27/M input, $0.85/M output tokens)',
    max_input_tokens: 131_000,
    // cloudflare-docs src/content/workers-ai-models/llama-4-scout-17b-16e-instruct.json (price,
    // context_window); neurons = dollars ÷ $0.011 per 1,000 neurons (Workers AI pricing).
    price: { unit: 'input_token', usd_per_million: 0.27, neurons_per_million: 24_545, source: 'published' },
  },
  {
    id: HF_CHAT_MODEL,
    task: 'chat',
    provider: 'huggingface',
    description: 'Llama 3.2 1B Instruct on a Hugging Face chat-completion endpoint (OpenAI format; TGI/vLLM)',
    max_input_tokens: 128_000,
    price: { unit: 'input_token', usd_per_million: 0.1, source: 'estimate' },
  },
  {
    id: LOCAL_CHAT_MODEL,
    task: 'chat',
    provider: 'local',
    description: 'No language model: quotes the best passages, cited, and says it is quoting (works offline)',
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];

/**
 * What each model can do beyond text, for OpenAI-style agent requests (POST /v1/chat/completions).
 * Workers AI: llama-4-scout's model schema lists `tools` (property function_calling: true) and
 * `response_format` (cloudflare-docs …/workers-ai-models/llama-4-scout-17b-16e-instruct.json); the
 * llama-3.2 models list neither tools as function_calling nor JSON mode (…/features/json-mode.mdx).
 * Hugging Face: the router's and TGI/vLLM's OpenAI-compatible chat completion take `tools`,
 * `tool_choice` and `response_format` (HF-spec chat-completion input.json). The local tier quotes
 * passages: no tools, no JSON.
 */
const AGENT_FEATURES: Record<string, { tools: boolean; json: boolean }> = {
  [WORKERS_AI_AGENT_MODEL]: { tools: true, json: true },
  [HF_CHAT_MODEL]: { tools: true, json: true },
};

export type AgentFeature = 'tools' | 'json';

/** Whether a chat model takes `tools` (function calling) or `response_format` JSON output. */
export const supportsFeature = (id: string, feature: AgentFeature): boolean => AGENT_FEATURES[id]?.[feature] ?? false;

/** The request fields of POST /v1/chat/completions a chat model takes beyond text (GET /v1/models `supports`). */
export const agentFieldsOf = (id: string): ('tools' | 'response_format')[] => [...(supportsFeature(id, 'tools') ? (['tools'] as const) : []), ...(supportsFeature(id, 'json') ? (['response_format'] as const) : [])];

/** The chat models that can, for the 400 that tells a caller which to use. */
export const modelsWith = (feature: AgentFeature): string[] => chatModels.filter((model) => supportsFeature(model.id, feature)).map((model) => model.id);

export const chatModel = (id: string): CatalogModel | undefined => chatModels.find((model) => model.id === id);

/** Models that write answers (not the local quoting tier): what plain OpenAI-style chat can name. */
export const generativeChatModel = (id: string): (CatalogModel & { provider: Exclude<ProviderId, 'local'> }) | undefined => {
  const model = chatModel(id);
  return model && model.provider !== 'local' ? (model as CatalogModel & { provider: Exclude<ProviderId, 'local'> }) : undefined;
};
