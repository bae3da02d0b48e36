import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import type { PublicTaskDefinition } from '../types';
import { entitiesModels } from './models';
import { huggingFaceEntities, localEntities } from './providers';
import { type EntitiesOptions, type EntitiesRequest, entitiesRequestSchema, entitiesResponseSchema, type EntitiesResult, MAX_ENTITIES_TEXT_CHARS } from './schema';
import { localEntityWarnings, typeFilter } from './types';
import { shareWindowBudget } from '../local-window';
import { LOCAL_ENTITY_REQUEST_UNITS, LOCAL_ENTITY_UNITS } from './local-recognizers';

export const entitiesTask: PublicTaskDefinition<EntitiesRequest, string, EntitiesResult, EntitiesOptions> = {
  name: 'entities',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  // Not NFC-normalised: offsets point into the text exactly as sent, so "é" and "e + ◌́" differ.
  canonicalItem: (text) => text,
  // The local tier's share of its request budget too, when the texts exceed it (tasks/local-window.ts).
  options: (input) => ({
    ...typeFilter(input.types),
    ...shareWindowBudget(asTextList(input.text), LOCAL_ENTITY_UNITS, LOCAL_ENTITY_REQUEST_UNITS),
  }),
  units: estimateTokens,
  providers: [huggingFaceEntities, localEntities],
  models: entitiesModels,
  warnings: localEntityWarnings,
  api: {
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
    primaryField: 'text',
    sample: { text: 'sample' },
  },
};