import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { registerTaskRoute } from '../../routes/task-routes';
import { entitiesRequestSchema, entitiesResponseSchema, MAX_ENTITIES_TEXT_CHARS } from './schema';
import { entitiesTask } from './task';

export function registerEntities(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: entitiesTask,
    summary: 'Named entities and patterns in one text or a batch',
    description:
      `Entities in text order as { type, text, start, end, score }; start/end are offsets into the original text (each ≤${MAX_ENTITIES_TEXT_CHARS} characters) ` +
      'in JavaScript string (UTF-16) units, so text.slice(start, end) === entity.text. ' +
      'Hugging Face (dslim/bert-base-NER): person, organization, location, misc; a model the tenant names keeps its own entity groups as lowercase snake_case types ' +
      '(Disease_disorder → disease_disorder). Its Python (code point) offsets are checked against each word and repaired. ' +
      'Local tier (rules, free): email, url, phone, money, date, time, duration, percent, number, ordinal, hashtag, mention, emoji, emoticon — ' +
      'but no names of people, organizations or places; its scores are fixed per rule (1 exact syntax, 0.8 heuristics). ' +
      'No Workers AI model does NER. `types` keeps only the types named.',
    request: entitiesRequestSchema,
    response: entitiesResponseSchema,
  });
}
