import type { ProviderId } from '../../contracts/provider-ids';
import { englishOnlyWarnings, textsOf } from '../english-only';
import { localWindowWarnings, textField } from '../local-window';
import type { TaskWarning } from '../types';
import { LOCAL_ENTITY_UNITS } from './local-recognizers';
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

/** The types only a NER model finds: the local tier's rules have no names of anything. */
export const NAME_TYPES = ['person', 'organization', 'location', 'misc'] as const;

/**
 * Issue 14: a local answer to a request for names is not "there are none" but "the local tier
 * cannot look": say so in the envelope instead of a silent empty list. Asked for every type (no
 * `types`), the answer still lacks names, so that is said too.
 */
export async function localEntityWarnings(options: EntitiesOptions, provider: ProviderId, _results: unknown[], texts: string[]): Promise<TaskWarning[]> {
  if (provider !== 'local') return [];
  const asked = options.types ? NAME_TYPES.filter((type) => options.types!.includes(type)) : [...NAME_TYPES];
  const noNames: TaskWarning[] =
    asked.length === 0
      ? []
      : [
          {
            code: 'local_tier_finds_no_names',
            message:
              `The local tier finds patterns (emails, URLs, phone numbers, money, dates …), not names: it cannot find ${asked.join(', ')} entities, ` +
              'so none are listed. Configure Hugging Face (a NER model) for entities to find them.',
          },
        ];
  const readPart = localWindowWarnings(
    texts.map((text, index) => ({ field: textField('text', index, texts.length), text, units: LOCAL_ENTITY_UNITS })),
    'Its patterns (e-mail, URL, phone, money, number, time, emoji) read every text whole; the dates, durations, percentages, ordinals, ' +
      'hashtags, mentions and emoticons only it finds are those of the part read.',
    options,
  );
  const english = await englishOnlyWarnings(
    textsOf(texts),
    'its dates, times, durations and ordinals in words ("12 de mayo", "vendredi") are found in English only; the patterns (e-mail, URL, phone, money, digits, emoji) do not depend on language.',
  );
  return [...noNames, ...english, ...readPart];
}
