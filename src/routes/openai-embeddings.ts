import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../contracts/env';
import { admitTask, authenticate } from '../admission/admit';
import { ApiError } from '../contracts/errors';
import { apiKeyFormat } from '../http/api-key-format';
import { jsonBody } from '../http/json-body';
import { errorResponse, taskErrorResponses } from '../http/error-responses';
import { runTask } from '../pipeline/run-task';
import { estimateTokens } from '../providers/pricing';
import { cachedModelAliases, describeAliases } from '../storage/model-aliases';
import { type EmbedResult, embedTextInputSchema } from '../tasks/embed/schema';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../tasks/embed/limits';
import { EMBED_MODEL_IDS, embedModel } from '../tasks/embed/models';
import { embedTask } from '../tasks/embed/task';
import { float32Base64 } from '../lib/vectors';
import { setOutcomeHeaders } from './task-routes';

export const openAiEmbeddingsRequestSchema = z
  .object({
    input: embedTextInputSchema,
    model: z
      .string()
      .min(1)
      .max(200)
      .openapi({ description: "An embedding model from the catalog, or one of the tenant's model aliases (`text-embedding-3-small` → a catalog model, set by an operator); GET /v1/models lists both" }),
    encoding_format: z.enum(['float', 'base64']).optional().openapi({ description: '`base64`: little-endian float32 bytes (the openai client asks for this by default)' }),
    dimensions: z.number().int().positive().optional().openapi({ description: "Must equal the model's own size: minnow does not truncate vectors (bge models are not trained for it)" }),
    user: z.string().max(256).optional().openapi({ description: 'Accepted for compatibility; not used' }),
  })
  .strict()
  .openapi('OpenAiEmbeddingsRequest', { example: { model: '@cf/baai/bge-small-en-v1.5', input: ['How do I reset my password?'] } });

export const openAiEmbeddingsResponseSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(z.object({ object: z.literal('embedding'), index: z.number().int(), embedding: z.union([z.array(z.number()), z.string()]) })),
    model: z.string().openapi({ description: 'The model that answered' }),
    usage: z.object({
      prompt_tokens: z.number().int().openapi({ description: 'Estimated input tokens of every input (cached ones included); what was billed is in x-minnow-cost-usd' }),
      total_tokens: z.number().int(),
    }),
  })
  .openapi('OpenAiEmbeddingsResponse');

const route = createRoute({
  method: 'post',
  path: '/v1/embeddings',
  tags: ['tasks'],
  summary: 'OpenAI-compatible embeddings',
  description:
    `The OpenAI embeddings request and response, served by the embed task (same admission, cache, routing and billing; the key needs the \`embed\` scope). ` +
    `\`model\` is required: one of the catalog's embedding models, or one of the tenant's model aliases (so OpenAI code that sends \`text-embedding-3-small\` ` +
    `changes only its base URL and key; an unknown name is a 400 naming the aliases and models there are); \`input\` is a text or up to ${MAX_MEANING_ITEMS} texts of at most ` +
    `${MAX_MEANING_TEXT_CHARS} characters (token arrays are not accepted). Errors use minnow's error shape. The caveats minnow's own envelope ` +
    'would list in `warnings` (no_known_words: a text the local model embeds as the zero vector) are named in the x-minnow-warnings header, comma-separated.',
  security: [{ apiKey: [] }],
  middleware: [apiKeyFormat(), jsonBody()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: openAiEmbeddingsRequestSchema } } } },
  responses: {
    200: { description: "OpenAI's list of embeddings, in input order", content: { 'application/json': { schema: openAiEmbeddingsResponseSchema } } },
    ...taskErrorResponses,
    404: errorResponse('No such embedding model or alias (model_not_found)'),
  },
});

/**
 * The catalog model `name` means: itself, or what the tenant's alias of that name points at. Only a
 * name outside the catalog costs a look-up (the key's tenant, then its aliases, both remembered in
 * the isolate).
 */
async function embeddingModelFor(c: Context<AppEnv>, name: string): Promise<string> {
  if (embedModel(name)) return name;
  const aliases = await cachedModelAliases(c.env.DB, (await authenticate(c)).tenantId);
  const alias = aliases.find((entry) => entry.alias === name);
  if (alias?.kind === 'embedding' && embedModel(alias.target)) return alias.target;
  if (alias?.kind === 'chat') throw new ApiError(400, 'invalid_field', `${name} is an alias of ${alias.target}, which chats: use it with POST /v1/chat/completions`, { param: 'model' });
  const embeddingAliases = aliases.filter((entry) => entry.kind === 'embedding');
  // OpenAI's status and code for a model that does not exist (chat completions answers the same).
  throw new ApiError(
    404,
    'model_not_found',
    `Unknown embedding model ${name}; the tenant's embedding aliases: ${describeAliases(embeddingAliases)}; catalog embedding models: ${EMBED_MODEL_IDS.join(', ')} ` +
      '(an operator adds an alias with PUT /admin/tenants/:id/model-aliases/:alias)',
    { param: 'model' },
  );
}

/** The envelope's warning codes, comma-separated, on an OpenAI-shaped answer. */
export const WARNINGS_HEADER = 'x-minnow-warnings';

export function registerOpenAiEmbeddings(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const model = await embeddingModelFor(c, body.model);
    const native = embedModel(model)?.dimensions;
    if (body.dimensions !== undefined && body.dimensions !== native) {
      throw new ApiError(400, 'invalid_field', `Invalid "dimensions": ${model} produces ${native}-dimensional vectors; minnow does not truncate them`, { param: 'dimensions' });
    }
    const input = { text: body.input, model };
    const outcome = await runTask<EmbedResult>(await admitTask(c, embedTask, input), embedTask, input);
    const { envelope } = outcome;
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const promptTokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
    setOutcomeHeaders(c, outcome);
    // OpenAI's shape has no place for caveats, and a field its clients do not know could break them:
    // the codes go in a header (docs/api.md#warnings), e.g. no_known_words for a zero vector.
    if (envelope.warnings) c.header(WARNINGS_HEADER, envelope.warnings.map((warning) => warning.code).join(', '));
    return c.json(
      {
        object: 'list' as const,
        data: envelope.results.map((result, index) => ({
          object: 'embedding' as const,
          index,
          embedding: body.encoding_format === 'base64' ? float32Base64(result.embedding) : result.embedding,
        })),
        model: envelope.model,
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      },
      200,
    );
  });
}
