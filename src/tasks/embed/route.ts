import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { apiKeyFormat } from '../../http/api-key-format';
import { jsonBody } from '../../http/json-body';
import { taskErrorResponses } from '../../http/error-responses';
import { respondWithOutcome } from '../../routes/task-routes';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from './limits';
import { registerOpenAiEmbeddings } from '../../routes/openai-embeddings';
import { runEmbed } from './run-embed';
import { embedRequestSchema, embedResponseSchema } from './schema';

const route = createRoute({
  method: 'post',
  path: '/v1/embed',
  tags: ['tasks'],
  summary: 'Sentence embeddings of one text or a batch',
  description:
    `One vector per text (up to ${MAX_MEANING_ITEMS} texts of at most ${MAX_MEANING_TEXT_CHARS} characters), with its length in \`dims\`. ` +
    'Without `model` the tenant\'s plan runs (default bge-small-en-v1.5, 384 dims) and falls back only to a provider running ' +
    'the same model, so one answer never mixes vector spaces. With `model`, exactly that model runs, on the provider that serves it. ' +
    'The local model is lexical (averaged word vectors, 100 dims): useful for topic similarity, blind to word order and negation.',
  security: [{ apiKey: [] }],
  middleware: [apiKeyFormat(), jsonBody()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: embedRequestSchema } } } },
  responses: {
    200: { description: 'One embedding per text, in input order', content: { 'application/json': { schema: embedResponseSchema } } },
    ...taskErrorResponses,
  },
});

/** `POST /v1/embed` (minnow's envelope) and `POST /v1/embeddings` (OpenAI's shape). */
export function registerEmbed(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const outcome = await runEmbed(c, c.req.valid('json'));
    // The envelope is built to the schema by runTask; the cast only bridges zod-openapi's generics.
    return respondWithOutcome(c, outcome) as never;
  });
  registerOpenAiEmbeddings(app);
}
