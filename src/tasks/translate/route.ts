import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { registerTaskRoute } from '../../routes/task-routes';
import { ASSUMED_SOURCE, TRANSLATION_LANGUAGES } from './languages';
import { MAX_TRANSLATE_CHARS, MAX_TRANSLATE_TEXTS, translateRequestSchema, translateResponseSchema } from './schema';
import { translateTask } from './task';

export function registerTranslate(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: translateTask,
    summary: 'Translate one text or a batch',
    description:
      `Translates up to ${MAX_TRANSLATE_TEXTS} texts (each ≤ ${MAX_TRANSLATE_CHARS} characters) into \`target\`, between ` +
      `${TRANSLATION_LANGUAGES.join(', ')}. Without \`source\`, each text's language is detected inside the Worker ("${ASSUMED_SOURCE}" when ` +
      'none can be; a text in another language is refused with 400 unsupported_source_language). ' +
      'Runs on Workers AI (m2m100-1.2b) or Hugging Face (opus-mt per language pair); there is no local tier, so with ' +
      'neither configured the answer is 503 no_provider_available.',
    request: translateRequestSchema,
    response: translateResponseSchema,
  });
}
