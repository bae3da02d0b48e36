import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { registerTaskRoute } from '../../routes/task-routes';
import { FLAG_THRESHOLD, MAX_MODERATE_CHARS, MAX_MODERATE_TEXTS, moderateRequestSchema, moderateResponseSchema } from './schema';
import { moderateTask } from './task';

export function registerModerate(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: moderateTask,
    summary: 'Moderate one text or a batch',
    description:
      `For each text (up to ${MAX_MODERATE_TEXTS}, each ≤ ${MAX_MODERATE_CHARS} characters): \`flagged\` and the categories that ` +
      `flagged it (score ≥ ${FLAG_THRESHOLD}). Workers AI runs Llama Guard 3 (hazard categories, score 1 each); Hugging Face ` +
      'runs toxic-bert (toxicity labels); the local tier checks a small English abuse lexicon and personal data (pii.email, ' +
      'pii.phone, pii.credit_card, pii.ssn, pii.iban). Category names differ per provider: see ModerationCategory.',
    request: moderateRequestSchema,
    response: moderateResponseSchema,
  });
}
