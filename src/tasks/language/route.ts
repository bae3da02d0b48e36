import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { registerTaskRoute } from '../../routes/task-routes';
import { SCORE_TEMPERATURE, UNRELIABLE_FACTOR } from './detect';
import { languageRequestSchema, languageResponseSchema, MAX_ALTERNATIVES, MAX_LANGUAGE_TEXT_CHARS, UNDETERMINED } from './schema';
import { languageTask } from './task';

export function registerLanguage(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: languageTask,
    summary: 'Language of one text or a batch',
    description:
      `The language of each text (≤${MAX_LANGUAGE_TEXT_CHARS} characters) as an ISO 639-1 code with a 0–1 score and up to ${MAX_ALTERNATIVES} alternatives. ` +
      `Runs on the local tier only (eld, 60 languages, free). Text with no detectable language (digits, emoji, punctuation) answers ` +
      `"${UNDETERMINED}" with score 0 — not an error. Scores are a softmax over eld's n-gram scores (temperature ${SCORE_TEMPERATURE}), ` +
      `multiplied by ${UNRELIABLE_FACTOR} when eld calls the evidence unreliable (very short texts). Indonesian is reported as Malay (ms).`,
    request: languageRequestSchema,
    response: languageResponseSchema,
  });
}
