import { z } from '@hono/zod-openapi';

export const usageSchema = z
  .object({
    items: z.number().int().openapi({ description: 'Inputs in the request' }),
    cached_items: z.number().int().openapi({ description: 'Inputs answered from the cache, at no cost' }),
    coalesced_items: z.number().int().optional().openapi({ description: "Inputs answered by a concurrent identical request's provider call, at no cost" }),
    units: z.number().int().openapi({ description: 'Billable units sent to the provider (estimated input tokens)' }),
    cost_usd: z.number().openapi({ description: 'What this request cost' }),
    neurons: z.number().optional().openapi({ description: 'Workers AI neurons used' }),
  })
  .openapi('Usage');

/** The uniform task envelope: one result per input, in input order. */
export function envelopeSchema<T extends z.ZodTypeAny>(name: string, result: T) {
  return z
    .object({
      id: z.string().openapi({ description: 'The request id (also in x-request-id)' }),
      task: z.string(),
      model: z.string(),
      provider: z.enum(['workers-ai', 'huggingface', 'local']),
      results: z.array(result),
      cached: z.boolean().openapi({ description: 'True when every result came from the cache' }),
      fallback_from: z
        .array(z.object({ provider: z.string(), code: z.string() }))
        .optional()
        .openapi({ description: 'Providers that failed before the one that answered' }),
      cascade: z
        .object({
          threshold: z.number(),
          answered: z.array(z.object({ provider: z.enum(['workers-ai', 'huggingface', 'local']), items: z.number().int(), reason: z.string() })),
        })
        .optional()
        .openapi({ description: 'With a cascade: which step answered how many items, and why (also in x-cascade-step)' }),
      warnings: z
        .array(z.object({ code: z.string(), message: z.string() }))
        .optional()
        .openapi({ description: 'What the provider that answered cannot do for this request (e.g. the local tier finds no names), or a cascade that cannot escalate in this deployment (cascade_unavailable); absent when there is nothing to say' }),
      usage: usageSchema,
    })
    .openapi(name);
}
