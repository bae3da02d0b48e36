import { moderationBucket, moderationBucketScore, type ModerationBucket } from './confidence';
import { abuseMatchesFolded, foldForLexicon, lexiconScore, type AbuseCategory } from './lexicon';
import { findPii, PII_CONFIDENCE } from './pii';
import { moderationResult, type ModerateResult } from './schema';

/** The verdict and the evidence bucket its confidence comes from (exported for tests and the calibration). */
export function readModeration(text: string, atUnits = Infinity): { result: Omit<ModerateResult, 'confidence'>; bucket: ModerationBucket } {
  const folded = foldForLexicon(text);
  const abuse = Object.entries(abuseMatchesFolded(folded)) as [AbuseCategory, number][];
  const pii = findPii(text, atUnits);
  const result = moderationResult([
    ...abuse.map(([category, matches]) => ({ category, score: lexiconScore(matches) })),
    ...pii.map((category) => ({ category, score: PII_CONFIDENCE[category] })),
  ]);
  const matchCount = abuse.reduce((sum, [, matches]) => sum + matches, 0);
  return { result, bucket: moderationBucket(folded, matchCount, pii.length > 0) };
}

/**
 * The local tier's moderation: the abuse lexicon (profanity, threat, harassment, hate, self_harm)
 * plus personal data (pii.*). Category scores are rule confidences; every match flags the text.
 * `confidence` is the calibrated chance that the verdict is right (confidence.ts). `atUnits`: the
 * work units of the tokens with an `@` wink reads for e-mail addresses (pii.ts).
 */
export function moderateLocally(text: string, atUnits = Infinity): ModerateResult {
  const { result, bucket } = readModeration(text, atUnits);
  return { ...result, confidence: moderationBucketScore(bucket) };
}
