import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { registerTaskRoute } from '../../routes/task-routes';
import { BGE_CALIBRATION, LOCAL_CALIBRATION } from './providers';
import { classifyRequestSchema, classifyResponseSchema, MAX_CLASSIFY_TEXT_CHARS, MAX_LABEL_CHARS, MAX_LABELS, MIN_LABELS } from './schema';
import { classifyTask } from './task';

export function registerClassify(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: classifyTask,
    summary: 'Zero-shot classification of one text or a batch into your labels',
    description:
      `Scores every candidate label (${MIN_LABELS}–${MAX_LABELS}, each ≤${MAX_LABEL_CHARS} characters) for each text (≤${MAX_CLASSIFY_TEXT_CHARS} characters), best first. ` +
      `Hugging Face runs an NLI model (facebook/bart-large-mnli): its own probabilities. Workers AI (bge-small) and the local tier compare the ` +
      `text with "This text is about <label>." by cosine similarity: single-label scores are softmax(cosine / T), multi_label scores are ` +
      `sigmoid((cosine − c) / T) per label (bge: T=${BGE_CALIBRATION.temperature}, c=${BGE_CALIBRATION.center}; local: T=${LOCAL_CALIBRATION.temperature}, c=${LOCAL_CALIBRATION.center}) — ` +
      `similarity-derived confidences, not calibrated probabilities. The label order you send does not matter.`,
    request: classifyRequestSchema,
    response: classifyResponseSchema,
  });
}
