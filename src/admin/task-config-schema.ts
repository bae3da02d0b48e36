import { z } from '@hono/zod-openapi';
import { PROVIDER_IDS } from '../contracts/provider-ids';

const providerSchema = z.enum(PROVIDER_IDS);

export const taskConfigInputSchema = z
  .object({
    providers: z
      .array(providerSchema)
      .min(1)
      .max(PROVIDER_IDS.length)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a provider')
      .optional()
      .openapi({ description: 'Providers to try, in order', example: ['local', 'workers-ai'] }),
    models: z
      .partialRecord(providerSchema, z.string().min(1).max(200))
      .optional()
      .openapi({ description: 'Model per provider, e.g. your fine-tuned HF model id', example: { huggingface: 'ProsusAI/finbert' } }),
    cascade: z
      .object({ threshold: z.number().min(0).max(1).optional().openapi({ description: "Local answers at or above this confidence stand; default: the task's own" }) })
      .strict()
      .optional()
      .openapi({ description: 'Local tier first: needs `providers` starting with "local" and at least one more', example: { threshold: 0.8 } }),
    huggingface_endpoint: z
      .object({
        url: z.url().max(500).openapi({ example: 'https://xyz.us-east-1.aws.endpoints.huggingface.cloud' }),
        token: z.string().min(1).max(500).openapi({ description: 'Stored encrypted; never returned' }),
      })
      .strict()
      .optional()
      .openapi({ description: "The tenant's own Hugging Face Inference Endpoint for this task" }),
  })
  .strict()
  .openapi('TaskConfigInput');

export const taskConfigSchema = z
  .object({
    task: z.string(),
    providers: z.array(providerSchema).optional(),
    models: z.partialRecord(providerSchema, z.string()).optional(),
    cascade: z.object({ threshold: z.number() }).optional(),
    huggingface_endpoint: z.object({ url: z.string(), token_set: z.literal(true) }).optional(),
  })
  .openapi('TaskConfig');

export type TaskConfigInput = z.infer<typeof taskConfigInputSchema>;
