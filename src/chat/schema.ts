import { z } from '@hono/zod-openapi';
import { PROVIDER_IDS } from '../contracts/provider-ids';

export const MAX_INSTRUCTIONS_CHARS = 4_000;
export const MAX_BOT_KNOWLEDGE_BASES = 10;
export const MAX_TOPICS = 50;
export const MAX_TOPIC_CHARS = 100;
export const MAX_KEYWORDS = 50;
export const MAX_HANDOFF_MESSAGE_CHARS = 500;
/** Longest user message, in characters (~1,000 tokens: a quarter of the prompt budget). */
export const MAX_MESSAGE_CHARS = 4_000;
/** Most messages a `messages` request may carry (the prompt budget keeps the newest that fit). */
export const MAX_MESSAGES = 50;

const id = (prefix: string, description: string) => z.string().min(1).max(64).regex(/^[A-Za-z0-9_]+$/, 'is not an id').openapi({ description, example: `${prefix}_3fKq9…` });

const escalationInput = z
  .object({
    keywords: z.array(z.string().trim().min(1).max(100)).max(MAX_KEYWORDS).optional().openapi({ description: 'Hand off when the message contains one of these (whole words, any case)', example: ['refund', 'lawyer'] }),
    min_retrieval_score: z.number().min(0).max(1).optional().openapi({ description: "Hand off when the best passage's cosine similarity to the question is below this (0–1)", example: 0.3 }),
    on_request_for_human: z.boolean().optional().openapi({ description: 'Hand off when the customer asks for a person ("talk to a human", "live agent"…). Default true' }),
    on_negative_sentiment: z
      .union([z.boolean(), z.number().min(0).max(1)])
      .optional()
      .openapi({ description: 'Hand off when the message is strongly negative (the sentiment task): true = confidence ≥ 0.8, or your threshold. Default false' }),
    handoff_message: z.string().trim().min(1).max(MAX_HANDOFF_MESSAGE_CHARS).nullable().optional().openapi({ description: 'What the customer is told on a handoff, in your words and language; null = minnow\'s message for each reason' }),
  })
  .strict()
  .openapi('BotEscalationInput');

const agentInput = z
  .object({
    tools: z.boolean().optional().openapi({ description: 'Let agents offer this bot functions to call (`tools` in POST /v1/chat/completions). Needs a `model` that can call tools. Default false' }),
    json: z.boolean().optional().openapi({ description: 'Let agents ask this bot for JSON output (`response_format`). Needs a `model` with JSON mode. Default false' }),
  })
  .strict()
  .openapi('BotAgentInput', { description: "What agents may ask of the bot beyond a grounded answer; the answer stays grounded in the bot's knowledge bases either way" });

const botFields = {
  name: z.string().trim().min(1).max(100),
  instructions: z.string().max(MAX_INSTRUCTIONS_CHARS).openapi({ description: `How the bot behaves, in your words (≤ ${MAX_INSTRUCTIONS_CHARS} characters); added to minnow's grounding rules` }),
  knowledge_bases: z.array(id('kb', 'One of your knowledge bases')).min(1).max(MAX_BOT_KNOWLEDGE_BASES).openapi({ description: `Your knowledge bases the bot answers from (1–${MAX_BOT_KNOWLEDGE_BASES})` }),
  topics: z.array(z.string().trim().min(1).max(MAX_TOPIC_CHARS)).max(MAX_TOPICS).optional().openapi({ description: `Allowed topics (≤ ${MAX_TOPICS}); messages outside them are refused politely. Omit for any topic`, example: ['orders', 'shipping', 'returns'] }),
  model: z.string().min(1).max(200).optional().openapi({ description: 'A chat model from GET /v1/models (task "chat"), tried first; default: the provider order\'s models' }),
  providers: z
    .array(z.enum(PROVIDER_IDS))
    .min(1)
    .max(PROVIDER_IDS.length)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a provider')
    .optional()
    .openapi({ description: 'Providers to try, in order; ["local"] answers offline by quoting passages. Default: your chat configuration, else the deployment\'s', example: ['workers-ai', 'local'] }),
  escalation: escalationInput.optional(),
  agent: agentInput.optional(),
};

export const createBotSchema = z.object(botFields).strict().openapi('CreateBot', {
  example: { name: 'Help bot', instructions: 'Answer questions about Acme orders. Be concise.', knowledge_bases: ['kb_3fKq9'], topics: ['orders', 'shipping'] },
});

export const updateBotSchema = z
  .object({ ...botFields, topics: botFields.topics.nullable(), model: botFields.model.nullable(), providers: botFields.providers.nullable() })
  .partial()
  .strict()
  .openapi('UpdateBot', { description: 'Fields to change; `null` clears topics, model or providers' });

export const botSchema = z
  .object({
    id: z.string(),
    object: z.literal('bot'),
    name: z.string(),
    instructions: z.string(),
    knowledge_bases: z.array(z.string()),
    topics: z.array(z.string()).nullable(),
    model: z.string().nullable(),
    providers: z.array(z.enum(PROVIDER_IDS)).nullable(),
    escalation: z.object({
      keywords: z.array(z.string()),
      min_retrieval_score: z.number().nullable(),
      on_request_for_human: z.boolean(),
      on_negative_sentiment: z.number().nullable().openapi({ description: 'The confidence threshold, or null when the rule is off' }),
      handoff_message: z.string().nullable(),
    }),
    agent: z.object({ tools: z.boolean(), json: z.boolean() }).openapi({ description: 'Function calling and JSON output for agents (POST /v1/chat/completions); both false unless enabled' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Bot');

export const chatMessageSchema = z
  .object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().max(MAX_MESSAGE_CHARS) })
  .openapi('ChatMessage');

export const chatRequestSchema = z
  .object({
    bot: id('bot', 'The bot to talk to'),
    message: z.string().trim().min(1).max(MAX_MESSAGE_CHARS).optional().openapi({ description: 'The customer\'s message (or send `messages`)' }),
    messages: z.array(chatMessageSchema).min(1).max(MAX_MESSAGES).optional().openapi({ description: 'The whole exchange instead of `message`: the last must be the user\'s; `system` messages are ignored (the bot\'s instructions rule)' }),
    conversation_id: id('conv', 'Continue this conversation (its stored history is the context unless you send `messages`)').optional(),
    stream: z.boolean().optional().openapi({ description: 'Server-Sent Events: start, delta…, handoff?, done (or error)' }),
  })
  .strict()
  .openapi('ChatRequest', { example: { bot: 'bot_3fKq9', message: 'How long do refunds take?' } });

export const citationSchema = z
  .object({
    index: z.number().int().openapi({ description: 'The `[n]` used in the content' }),
    document_id: z.string(),
    title: z.string(),
    url: z.string().optional(),
    text: z.string().openapi({ description: 'The passage the answer drew on' }),
  })
  .openapi('Citation');

export const handoffSchema = z
  .object({
    reason: z.enum(['keyword', 'requested_human', 'low_retrieval_confidence', 'negative_sentiment']),
    message: z.string().openapi({ description: 'What the customer was told' }),
  })
  .openapi('Handoff');

export const chatResponseSchema = z
  .object({
    id: z.string().openapi({ description: 'The request id' }),
    object: z.literal('chat.response'),
    conversation_id: z.string(),
    bot: z.string(),
    message: z.object({ role: z.literal('assistant'), content: z.string() }),
    citations: z.array(citationSchema).openapi({ description: 'The sources the answer cites, by their `[n]`; sources it did not cite are left out' }),
    handoff: handoffSchema.optional(),
    refusal: z
      .object({ reason: z.enum(['moderation', 'off_topic', 'output_moderation']) })
      .optional()
      .openapi({ description: 'Set when a guardrail answered instead of the model' }),
    mode: z.enum(['generated', 'quoted']).openapi({ description: '`generated` by a language model; `quoted`: passages or a fixed message, no model wrote it (the local tier, guardrails, handoffs)' }),
    model: z.string(),
    provider: z.enum(PROVIDER_IDS),
    fallback_from: z.array(z.object({ provider: z.string(), code: z.string() })).optional(),
    continued_by: z.array(z.object({ provider: z.string(), model: z.string() })).optional().openapi({ description: 'Providers that finished an answer a failed provider started (streaming)' }),
    usage: z.object({
      cost_usd: z.number().openapi({ description: 'Moderation, sentiment and generation of this turn (retrieval is metered as its own step)' }),
      prompt_tokens: z.number().int(),
      completion_tokens: z.number().int(),
    }),
  })
  .openapi('ChatResponse');

export const conversationSchema = z
  .object({
    id: z.string(),
    object: z.literal('conversation'),
    bot: z.string(),
    turns: z.number().int(),
    handoff: z.object({ reason: z.string(), at: z.string() }).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    expires_at: z.string(),
    messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string(), citations: z.array(citationSchema).optional(), created_at: z.string() })),
  })
  .openapi('Conversation');

export type CreateBotInput = z.infer<typeof createBotSchema>;
export type UpdateBotInput = z.infer<typeof updateBotSchema>;
export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatResponse = z.infer<typeof chatResponseSchema>;
export type Citation = z.infer<typeof citationSchema>;
