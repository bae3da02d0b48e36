import { readBounded, winkPipeline } from '../../providers/local/wink';
import type { SentimentResult } from './schema';

/**
 * The local tier's sentiment (issue 14): wink-nlp's lexicon polarity for the label, and a score
 * that is the measured probability that the label is right, read from the evidence the lexicon
 * cannot weigh. A lexicon adds up word scores; it is reliable on a text that says one thing with
 * sentiment words, and unreliable when
 *  - the text turns on a contrast ("lovely, but …", "though", "except"),
 *  - a negation sits near the sentiment ("not impressed", "could not have been kinder"),
 *  - it is sarcastic ("Great, my order is lost again. Well done."),
 *  - it has no sentiment word but reports something going wrong ("nobody called me back"), or
 *  - its polarity is weak.
 * Each text falls in one evidence bucket (first match in the order of SENTIMENT_BUCKETS) and its
 * score is that bucket's accuracy on the dev split of eval/tasks-hard/sentiment.mjs, Laplace
 * smoothed: (right + 1) / (answers + 2). So a score of 0.9 means "right about 9 times in 10 on
 * texts like this", and conflicting evidence gives a low score that makes the cascade escalate.
 * Measured figures and the reliability table on the test split: docs/local-tier.md.
 */

/**
 * The local tier reads the first 600 work units of a text (providers/local/bounds.ts): ~2,200
 * characters of ordinary English, what the 512 pieces it read before work units did (see providers.ts).
 */
export const LOCAL_SENTIMENT_UNITS = 600;
/**
 * The work units one request's texts are read for in all (tasks/local-window.ts): what keeps the
 * model's work on the largest legal request within the CPU bound (docs/security.md#bounded-work).
 */
export const LOCAL_SENTIMENT_REQUEST_UNITS = 32_000;
/** The lexicon score (−1…1) within ±this band is neutral. */
export const LEXICON_NEUTRAL_BAND = 0.05;

/** Words that turn a sentence: what follows usually carries the verdict. */
const CONTRAST = /\b(?:but|however|yet|except|though|although|whereas|shame|only thing|only good)\b/i;
/** Markers after which the main clause follows (the verdict is in the part after the last one). */
const TURN = /\b(?:but|however|yet|except|shame)\b/gi;
const NEGATION = /\b(?:not|no|never|nothing|nobody|none|neither|nor|cannot|without|zero|hardly|barely)\b|n't\b/i;
/** Irony: a positive exclamation opening or closing a complaint (only with complaint words)… */
const PRAISE_AROUND = [
  /^\s*(?:oh,? |just |so |yeah,? |wow,? |well,? )?(?:great|wonderful|lovely|brilliant|perfect|fantastic|amazing|excellent|super|nice|marvellous|well done|thanks|cheers)\s*[,.!]/i,
  /[.,!?]\s*(?:just |really )?(?:great|brilliant|wonderful|lovely|perfect|fantastic|well done|thanks a lot|bravo|nice one|good job|brilliant progress|fantastic service)\s*[.!]*\s*$/i,
  /\?\s*(?:great|brilliant|wonderful|fantastic|lovely|perfect)\b/i,
];
/** … and set phrases that are ironic on their own. */
const IRONY = [
  /\bthanks for nothing\b|\bsaid no(?:body| one) ever\b|\bwhat a joke\b|\byeah,? (?:because|right)\b|(?:^|[.!?]\s*)so much for\b|\bas if\b|\bclearly nobody\b/i,
];
/**
 * Cues that are ironic only around a complaint: "I love how my order is late again" is, "I love
 * how easy this was!" is not (read as sarcasm it was a confident wrong answer on the playground's
 * own example).
 */
const IRONY_AROUND_COMPLAINT = /\bthanks a lot\b|\blove (?:how|waiting|being|it when)\b|\bif you (?:enjoy|like|love)\b|\bwhat a surprise\b|\bamazing how\b|\bexactly what i (?:wanted|needed)\b/i;
/** Something went wrong, said without a sentiment word. */
const COMPLAINT = /\b(?:again|still|another|late|lost|broken|declined|wait|waiting|waited|hold|only took|(?:two|three|four|five|six) (?:hours|days|weeks|months)|nobody|missing|wrong|closed|stopped|keeps?|swallowed|rushed|refused|failed|cancel(?:led|ling)?|charged|overcharged|worst|never|zero|why)\b/i;

/** Words that state a verdict outright; "clear" needs one on the label's side and none against it. */
const STRONG_POSITIVE = /\b(?:love[ds]?|loving|great|excellent|fantastic|wonderful|amazing|brilliant|perfect(?:ly)?|superb|outstanding|delighted|impressed|best|awesome|lovely|happy|recommend(?:ed)?|thanks?|thank you|appreciate[ds]?|helpful|easy|smooth(?:ly)?)\b/i;
const STRONG_NEGATIVE = /\b(?:hate[ds]?|awful|terrible|horrible|worst|useless|disappointed|disappointing|disgusting|angry|furious|unacceptable|broke|broken|ruined|waste|rude|poor|crash(?:es|ed|ing)?|overpriced|dreadful|pathetic|nightmare)\b/i;

export type SentimentBucket = 'sarcasm' | 'contrast' | 'negation' | 'question' | 'neutral, complaint words' | 'neutral' | 'weak' | 'clear';

/**
 * Calibration counts (right / answers) per bucket on the hard set's dev split plus the ordinary set
 * eval/tasks/sentiment.mjs, printed by `node eval/calibrate.mjs sentiment` (2026-12-03); the score
 * is (right + 1) / (answers + 2). Change the rules above, rerun it, paste its lines here.
 */
export const SENTIMENT_BUCKETS: Readonly<Record<SentimentBucket, { right: number; answers: number }>> = {
  sarcasm: { right: 12, answers: 12 }, // 0.929
  clear: { right: 14, answers: 15 }, // 0.882
  'neutral, complaint words': { right: 3, answers: 3 }, // 0.800
  neutral: { right: 16, answers: 21 }, // 0.739
  weak: { right: 18, answers: 26 }, // 0.679
  contrast: { right: 10, answers: 17 }, // 0.579
  question: { right: 3, answers: 5 }, // 0.571
  negation: { right: 13, answers: 26 }, // 0.500
};
/** Polarity at or above this size, with a verdict word on its side and no conflicting evidence, is "clear". */
export const CLEAR_POLARITY = 0.5;

export const bucketScore = (bucket: SentimentBucket) => {
  const { right, answers } = SENTIMENT_BUCKETS[bucket];
  return Math.round(((right + 1) / (answers + 2)) * 10_000) / 10_000;
};

const labelOf = (polarity: number): SentimentResult['label'] =>
  Math.abs(polarity) < LEXICON_NEUTRAL_BAND ? 'neutral' : polarity > 0 ? 'positive' : 'negative';

/**
 * "Great, my order is lost again." but not "Great, it works again!": the praise is ironic when what
 * is left without it has complaint words and no positive polarity of its own.
 */
function praiseAroundComplaint(read: string): boolean {
  let rest = read;
  for (const pattern of PRAISE_AROUND) rest = rest.replace(pattern, ' ');
  if (rest === read || !COMPLAINT.test(rest)) return false;
  rest = rest.replace(/^\s*(?:oh|wow|well|so|yeah|sure|hey)\b[,!.]?/i, ' ');
  return Number(winkPipeline('sentiment').readDoc(rest).out(winkPipeline('sentiment').its.sentiment)) <= 0;
}

export interface SentimentReading {
  label: SentimentResult['label'];
  bucket: SentimentBucket;
  polarity: number;
}

/**
 * The label and the evidence bucket for one text (exported for tests and the eval's analysis),
 * from its first `units` work units: the window, or less when a request's texts share its budget.
 */
export function readSentiment(text: string, units = LOCAL_SENTIMENT_UNITS): SentimentReading {
  const { its } = winkPipeline('sentiment');
  const doc = readBounded(text, units, 'sentiment');
  const polarity = Number(doc.out(its.sentiment));
  // The text wink read (the window), so the cue patterns never scan more than it did.
  const read = doc.out();
  let label = labelOf(polarity);

  const ironic = IRONY.some((pattern) => pattern.test(read)) || (IRONY_AROUND_COMPLAINT.test(read) && (COMPLAINT.test(read) || STRONG_NEGATIVE.test(read))) || praiseAroundComplaint(read);
  if (ironic) {
    // Praise wrapped around a complaint: the complaint is the message.
    return { label: label === 'positive' || label === 'neutral' ? 'negative' : label, bucket: 'sarcasm', polarity };
  }
  if (CONTRAST.test(read)) {
    // "X, but Y": Y carries the verdict when it has a polarity of its own.
    const turns = [...read.matchAll(TURN)];
    const last = turns.at(-1);
    if (last?.index !== undefined) {
      const after = read.slice(last.index + last[0].length);
      const afterPolarity = Number(winkPipeline('sentiment').readDoc(after).out(its.sentiment));
      if (Math.abs(afterPolarity) >= LEXICON_NEUTRAL_BAND) label = labelOf(afterPolarity);
      else if (label === 'positive' && (COMPLAINT.test(after) || STRONG_NEGATIVE.test(after))) label = 'negative';
    }
    return { label, bucket: 'contrast', polarity };
  }
  if (NEGATION.test(read)) return { label, bucket: 'negation', polarity };
  // A question mostly asks rather than judges; the lexicon's words in it say little.
  if (read.includes('?')) return { label, bucket: 'question', polarity };
  // No sentiment word, but something went wrong ("every order has been late"): a complaint.
  if (label === 'neutral') return COMPLAINT.test(read) ? { label: 'negative', bucket: 'neutral, complaint words', polarity } : { label, bucket: 'neutral', polarity };
  // The lexicon's sum disagrees with the only verdict words in the text ("Terrible fit, …" → positive): trust the words.
  if (label === 'positive' && STRONG_NEGATIVE.test(read) && !STRONG_POSITIVE.test(read)) label = 'negative';
  else if (label === 'negative' && STRONG_POSITIVE.test(read) && !STRONG_NEGATIVE.test(read)) label = 'positive';
  const [own, against] = label === 'positive' ? [STRONG_POSITIVE, STRONG_NEGATIVE] : [STRONG_NEGATIVE, STRONG_POSITIVE];
  const clear = labelOf(polarity) === label && Math.abs(polarity) >= CLEAR_POLARITY && own.test(read) && !against.test(read);
  return { label, bucket: clear ? 'clear' : 'weak', polarity };
}

export function localSentimentOf(text: string, units = LOCAL_SENTIMENT_UNITS): SentimentResult {
  const { label, bucket } = readSentiment(text, units);
  return { label, score: bucketScore(bucket) };
}
