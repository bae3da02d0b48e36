import type { CatalogModel } from '../../providers/pricing';
import { HF_CHAT_MODEL } from '../../providers/huggingface/chat';
import { LOCAL_CHAT_MODEL } from '../../providers/local/chat-quote';
import type { ProviderId } from '../../contracts/provider-ids';
import { WORKERS_AI_CHAT_MODEL } from '../../providers/workers-ai/chat';

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

export const chatModel = (id: string): CatalogModel | undefined => chatModels.find((model) => model.id === id);

/** Models that write answers (not the local quoting tier): what plain OpenAI-style chat can name. */
export const generativeChatModel = (id: string): (CatalogModel & { provider: Exclude<ProviderId, 'local'> }) | undefined => {
  const model = chatModel(id);
  return model && model.provider !== 'local' ? (model as CatalogModel & { provider: Exclude<ProviderId, 'local'> }) : undefined;
};
