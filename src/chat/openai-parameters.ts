// The Chat Completions request fields OpenAI defines that minnow does not act on: each either
// checked and ignored or refused by name, so the request schema can refuse everything else
// (completions-route.ts).
import { z } from '@hono/zod-openapi';

/**
 * OpenAI's sampling and bookkeeping parameters (its Chat Completions reference): accepted, checked
 * as OpenAI checks them, and ignored — answers use minnow's settings — so a client that always
 * sends them works unchanged, and a wrong value is still a 400 naming it.
 */
export const ignoredOpenAiParameters = {
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  user: z.string().max(256).optional(),
  safety_identifier: z.string().max(256).optional(),
  prompt_cache_key: z.string().max(256).optional(),
  logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullish(),
  metadata: z.record(z.string().max(64), z.string().max(512)).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().max(32).nullish(),
  reasoning_effort: z.string().max(32).nullish(),
  verbosity: z.string().max(32).nullish(),
  modalities: z.array(z.literal('text', { error: 'only "text" is supported: minnow answers in text' })).nullish(),
  logprobs: z.literal(false, { error: 'not supported: minnow returns no log probabilities (send false or leave it out)' }).nullish(),
  top_logprobs: z.literal(0, { error: 'not supported: minnow returns no log probabilities' }).nullish(),
};

/** OpenAI parameters minnow cannot honour: refused when sent, rather than answered as if they were. */
const unsupported = (what: string) =>
  z
    .unknown()
    .refine((value) => value === undefined, { error: `not supported: ${what}` })
    .optional()
    .openapi({ description: `Refused: ${what}` });
export const refusedOpenAiParameters = {
  audio: unsupported('minnow answers in text'),
  prediction: unsupported('minnow does not take predicted outputs'),
  web_search_options: unsupported('minnow does not search the web; a bot answers from its knowledge bases'),
  functions: unsupported('use `tools` (OpenAI deprecated `functions`)'),
  function_call: unsupported('use `tool_choice` (OpenAI deprecated `function_call`)'),
};
