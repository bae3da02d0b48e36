import { abuseMatches, lexiconScore, type AbuseCategory } from './lexicon';
import { findPii, PII_CONFIDENCE } from './pii';
import { moderationResult, type ModerateResult } from './schema';

/**
 * The local tier's moderation: the abuse lexicon (profanity, threat, harassment, hate, self_harm) plus personal
 * data (pii.*). Scores are rule confidences, not probabilities; every match flags the text.
 */
export function moderateLocally(text: string): ModerateResult {
  const abuse = Object.entries(abuseMatches(text)) as [AbuseCategory, number][];
  return moderationResult([
    ...abuse.map(([category, matches]) => ({ category, score: lexiconScore(matches) })),
    ...findPii(text).map((category) => ({ category, score: PII_CONFIDENCE[category] })),
  ]);
}
