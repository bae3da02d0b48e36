import type { EntitiesOptions, Entity } from './schema';

/** CoNLL-style groups (dslim/bert-base-NER and most general NER models) and common spellings. */
const TYPE_ALIASES: Record<string, string> = {
  per: 'person', person: 'person', pers: 'person',
  org: 'organization', organization: 'organization', organisation: 'organization',
  loc: 'location', location: 'location', gpe: 'location',
  misc: 'misc', miscellaneous: 'misc',
};

/**
 * One entity type vocabulary for every provider: lowercase snake_case. Known general groups map to
 * person / organization / location / misc; any other group a model emits (a tenant's fine-tuned
 * model: `Disease_disorder`, `Medication` …) passes through as its snake_case form
 * (`disease_disorder`), never dropped. A leftover IOB prefix (`B-PER`) is removed first.
 */
export function entityType(raw: string): string {
  const snake = raw
    .trim()
    .replace(/^[BIES]-/i, '')
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return TYPE_ALIASES[snake] ?? (snake || 'misc');
}

export function typeFilter(types: string[] | undefined): EntitiesOptions {
  return types ? { types: [...new Set(types.map(entityType))].sort() } : {};
}

export function keepTypes(entities: Entity[], options: EntitiesOptions): Entity[] {
  const wanted = options.types;
  return wanted ? entities.filter((entity) => wanted.includes(entity.type)) : entities;
}

export const roundScore = (score: number) => Math.round(Math.min(1, Math.max(0, score)) * 10_000) / 10_000;
