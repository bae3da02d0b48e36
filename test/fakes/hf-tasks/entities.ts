import { directive } from '../sentiment-lexicon.mjs';
import { invalid, ok, type HfTaskHandler } from './types';

// token-classification with aggregation (UPSTREAMS.md §2.2): `{inputs, parameters:
// {aggregation_strategy}}` → `[{entity_group, score, word, start, end}]`, like a transformers
// pipeline behind the HF Inference API: start/end are Python string indices (code points, so an
// emoji before an entity shifts them against JavaScript's UTF-16 offsets) and `word` is the
// tokenizer's decoding ("U. S."; lowercased and accent-stripped by uncased models).
// Directives: [[hf:utf16-offsets]] (a server that counts UTF-16 units), [[hf:null-offsets]]
// (a slow tokenizer), [[hf:leading-space]] (BPE models include the space before a word),
// [[hf:nested]] (the batch form `[[…]]`), [[hf:no-aggregation]] (per-token `entity`, no group).

type Gazetteer = [phrase: string, group: string][];

const GENERAL: Gazetteer = [
  ['Angela Merkel', 'PER'], ['José Núñez', 'PER'], ['Marie Curie', 'PER'], ['Zoë Saldaña', 'PER'], ['Tim Cook', 'PER'],
  ['Apple', 'ORG'], ['Acme Corp', 'ORG'], ['United Nations', 'ORG'], ['Société Générale', 'ORG'],
  ['Berlin', 'LOC'], ['Paris', 'LOC'], ['São Paulo', 'LOC'], ['Zürich', 'LOC'], ['New York', 'LOC'], ['U.S.', 'LOC'],
  ['German', 'MISC'], ['French', 'MISC'],
];

// MACCROBAT groups, as d4data/biomedical-ner-all emits them.
const BIOMEDICAL: Gazetteer = [
  ['diabetes mellitus', 'Disease_disorder'], ["Ménière's disease", 'Disease_disorder'], ['hypertension', 'Disease_disorder'],
  ['fever', 'Sign_symptom'], ['headache', 'Sign_symptom'], ['vertigo', 'Sign_symptom'],
  ['metformin', 'Medication'], ['500 mg', 'Dosage'], ['45-year-old', 'Age'], ['woman', 'Sex'], ['man', 'Sex'],
];

const codePoints = (text: string, utf16: number) => [...text.slice(0, utf16)].length;
const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char);

/** How a WordPiece tokenizer decodes the entity's tokens. */
function decode(phrase: string, uncased: boolean): string {
  const spaced = phrase.replace(/([.'-])(?=\S)/g, '$1 ').replace(/(\S)([.'-])/g, '$1 $2');
  return uncased ? spaced.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase() : spaced;
}

function recognize(text: string, gazetteer: Gazetteer, uncased: boolean) {
  const haystack = uncased ? text.toLowerCase() : text;
  const found: { group: string; start: number; end: number; phrase: string }[] = [];
  for (const [phrase, group] of [...gazetteer].sort((a, b) => b[0].length - a[0].length)) {
    const needle = uncased ? phrase.toLowerCase() : phrase;
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      const end = at + needle.length;
      if (isWordChar(text[at - 1]) || isWordChar(text[end])) continue;
      if (found.some((other) => at < other.end && other.start < end)) continue;
      found.push({ group, start: at, end, phrase: text.slice(at, end) });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function tokenClassification(gazetteer: Gazetteer, uncased: boolean): HfTaskHandler['handle'] {
  return ({ inputs, parameters }) => {
    if (typeof inputs !== 'string') return invalid('inputs must be a string');
    const fault = directive(inputs, 'hf');
    const aggregated = parameters?.aggregation_strategy !== undefined && parameters.aggregation_strategy !== 'none' && fault !== 'no-aggregation';
    const entities = recognize(inputs, gazetteer, uncased).map(({ group, start, end, phrase }, index) => {
      const utf16 = fault === 'utf16-offsets';
      const from = utf16 ? start : codePoints(inputs, start);
      const to = utf16 ? end : codePoints(inputs, end);
      const shifted = fault === 'leading-space' && from > 0 && inputs[start - 1] === ' ' ? from - 1 : from;
      const score = Math.round((0.9 + ((index * 37) % 10) / 100) * 10_000) / 10_000;
      const position = fault === 'null-offsets' ? { start: null, end: null } : { start: shifted, end: to };
      return aggregated
        ? { entity_group: group, score, word: decode(phrase, uncased), ...position }
        : { entity: `B-${group}`, score, index: index + 1, word: decode(phrase, uncased), ...position };
    });
    return ok(fault === 'nested' ? [entities] : entities);
  };
}

export const entities: HfTaskHandler = {
  task: 'entities',
  models: ['dslim/bert-base-NER'],
  handle: tokenClassification(GENERAL, false),
};

/** A fine-tuned domain model (uncased DistilBERT), served at its model id or as `/endpoints/entities-biomedical/…`. */
export const biomedicalEntities: HfTaskHandler = {
  task: 'entities-biomedical',
  models: ['d4data/biomedical-ner-all'],
  handle: tokenClassification(BIOMEDICAL, true),
};
