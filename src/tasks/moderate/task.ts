import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import { type LocalReadShare, localWindowWarnings, shareRequestBudget, textField } from '../local-window';
import type { PublicTaskDefinition } from '../types';
import { LOCAL_PII_REQUEST_UNITS, LOCAL_PII_UNITS } from './pii';
import { tokensWithAt } from '../../providers/local/wink';
import { mostUnitsOf } from '../../providers/local/bounds';
import { moderateModels } from './models';
import { huggingFaceModerate, localModerate, workersAiModerate } from './providers';
import { englishOnlyWarnings, ENGLISH_ONLY_SCORE_CAP, textsOf } from '../english-only';
import { FLAG_THRESHOLD, MAX_MODERATE_CHARS, MAX_MODERATE_TEXTS, type ModerateRequest, moderateRequestSchema, moderateResponseSchema, type ModerateResult } from './schema';

export const moderateTask: PublicTaskDefinition<ModerateRequest, string, ModerateResult, LocalReadShare> = {
  name: 'moderate',
  // Shorter than other tasks: moderation policies and lexicons change, and re-checking is cheap.
  cacheTtlSeconds: 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  // Not normalised: a look-alike character (fullwidth, combining marks) can be what evades a filter,
  // so differently-encoded texts are judged separately.
  canonicalItem: (text) => text,
  // What the local tier may read of each text when the request's texts exceed its budget.
  // wink reads only the raw tokens holding an @ (pii.ts): those are what the budget is shared by.
  options: (input) =>
    shareRequestBudget(asTextList(input.text), LOCAL_PII_REQUEST_UNITS, {
      cost: (text) => tokensWithAt(text, LOCAL_PII_UNITS).units,
      // A text without an @ sends wink nothing.
      bound: (text) => (text.includes('@') ? Math.min(LOCAL_PII_UNITS, mostUnitsOf(text)) : 0),
    }),
  units: estimateTokens,
  providers: [workersAiModerate, huggingFaceModerate, localModerate],
  // Only the local tier states one (a cached answer from before it did is kept, as it always was).
  confidence: (result) => result.confidence ?? 1,
  warnings: async (options, provider, _results, texts) =>
    provider === 'local'
      ? [
          ...(await englishOnlyWarnings(
            textsOf(texts),
            `its English word lists do not know that language's abuse, so "not flagged" does not mean clean; the confidence is capped at ${ENGLISH_ONLY_SCORE_CAP} ` +
              '(the personal-data patterns do not depend on language).',
          )),
          ...localWindowWarnings(
          texts.map((text, index) => ({ field: textField('text', index, texts.length), text, read: tokensWithAt(text, LOCAL_PII_UNITS, options.local_read_units).read })),
          'E-mail addresses are looked for in the part read; the word lists and the card, phone, SSN and IBAN patterns read every text whole.',
          options,
          ),
        ]
      : [],
  defaultCascadeThreshold: 0.8,
  models: moderateModels,
  api: {
    summary: 'Moderate one text or a batch',
    description:
      `For each text (up to ${MAX_MODERATE_TEXTS}, each ≤ ${MAX_MODERATE_CHARS} characters): \`flagged\` and the categories that ` +
      `flagged it (score ≥ ${FLAG_THRESHOLD}). Workers AI runs Llama Guard 3 (hazard categories, score 1 each); Hugging Face ` +
      'runs toxic-bert (toxicity labels); the local tier checks a small English abuse lexicon and personal data (pii.email, ' +
      'pii.phone, pii.credit_card, pii.ssn, pii.iban). Category names differ per provider: see ModerationCategory.',
    request: moderateRequestSchema,
    response: moderateResponseSchema,
    primaryField: 'text',
    sample: { text: 'sample' },
  },
};