import { tokenClassification } from '@huggingface/inference';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { callHuggingFace } from '../../providers/huggingface/transport';
import type { TaskProvider } from '../../providers/types';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { unitsRead } from '../local-window';
import { LOCAL_ENTITY_UNITS, recognizeLocally } from './local-recognizers';
import { indexText, locateEntity } from './offsets';
import type { EntitiesOptions, EntitiesResult, Entity } from './schema';
import { entityType, keepTypes, roundScore } from './types';

const UPSTREAM_CONCURRENCY = 4;
const HF_MODEL = 'dslim/bert-base-NER';
const LOCAL_MODEL = 'minnow/wink-patterns-en';

const offset = z.number().int().nullable();
const hfEntities = z.array(z.object({ entity_group: z.string(), score: z.number().finite(), word: z.string(), start: offset, end: offset }));

/**
 * Before the client's strict check: a single-text answer nested in a list (batch form) is
 * unwrapped, and null offsets (slow tokenizers) become -1 so the entity is located by its word.
 */
function reshapeTokenClassification(body: unknown): unknown {
  const list = Array.isArray(body) && body.length === 1 && Array.isArray(body[0]) ? body[0] : body;
  if (!Array.isArray(list)) return list;
  return list.map((item: unknown) =>
    item && typeof item === 'object' ? { ...item, start: (item as { start?: unknown }).start ?? -1, end: (item as { end?: unknown }).end ?? -1 } : item,
  );
}

/** HF groups → minnow types, offsets checked against the original text; entities that cannot be placed are dropped. */
export function fromTokenClassification(text: string, raw: unknown): Entity[] {
  const parsed = hfEntities.safeParse(raw);
  if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected [{entity_group, score, word, start, end}]');
  const index = indexText(text);
  const entities: Entity[] = [];
  let searchFrom = 0;
  for (const item of parsed.data) {
    const start = item.start !== null && item.start >= 0 ? item.start : null;
    const end = item.end !== null && item.end >= 0 ? item.end : null;
    const span = locateEntity(index, item.word, start, end, searchFrom);
    if (!span) continue;
    entities.push({ type: entityType(item.entity_group), text: text.slice(span.start, span.end), start: span.start, end: span.end, score: roundScore(item.score) });
    searchFrom = span.end;
  }
  return entities.sort((a, b) => a.start - b.start || a.end - b.end);
}

export const huggingFaceEntities: TaskProvider<string, EntitiesResult, EntitiesOptions> = {
  provider: 'huggingface',
  model: HF_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async (text) => {
      const raw = await callHuggingFace(
        call,
        (args, options) => tokenClassification({ ...args, inputs: text, parameters: { aggregation_strategy: 'simple' } }, options),
        reshapeTokenClassification,
      );
      return { entities: keepTypes(fromTokenClassification(text, raw), call.options) };
    });
  },
};

export const localEntities: TaskProvider<string, EntitiesResult, EntitiesOptions> = {
  provider: 'local',
  model: LOCAL_MODEL,
  async run({ items, options }) {
    const units = unitsRead(LOCAL_ENTITY_UNITS, options);
    return items.map((text) => ({ entities: keepTypes(recognizeLocally(text, units), options) }));
  },
};
