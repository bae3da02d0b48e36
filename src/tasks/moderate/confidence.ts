/**
 * How sure the local tier is of its moderation verdict: the chance that `flagged` is right.
 *
 * The lexicon flags what its patterns name and misses veiled abuse that names neither a harm nor a
 * group ("accidents happen to people who leave bad reviews"). Such a miss looks like ordinary text
 * with a trigger word, so an unflagged text that points menace or a prediction at someone (or talks
 * of ending in the first person) is weak evidence of "clean": it scores low and the cascade
 * escalates it. So is one that merely addresses the reader: an insult without a listed word ("You
 * are the reason your parents cry at night.") reads like ordinary text said to "you". Each text falls in one evidence bucket (the first that applies, in the order of
 * `moderationBucket`) and its score is that bucket's accuracy on the calibration data,
 * Laplace-smoothed: (right + 1) / (answers + 2).
 */
export type ModerationBucket =
  | 'flagged, abuse'
  | 'flagged, personal data only'
  | 'not flagged, aimed at someone'
  | 'not flagged, trigger word'
  | 'not flagged, speaks to the reader'
  | 'not flagged, names someone'
  | 'not flagged, nothing';

/**
 * Calibration counts (right / answers) per bucket on the dev split of eval/tasks-hard/moderate.mjs
 * (its calibration rows included) plus the ordinary set eval/tasks/moderate.mjs; `node
 * eval/calibrate.mjs moderate` prints them. The test split is for reporting only.
 */
export const MODERATION_BUCKETS: Readonly<Record<ModerationBucket, { right: number; answers: number }>> = {
  'flagged, abuse': { right: 64, answers: 64 }, // 0.985
  'flagged, personal data only': { right: 12, answers: 12 }, // 0.929
  'not flagged, aimed at someone': { right: 17, answers: 27 }, // 0.621
  'not flagged, trigger word': { right: 19, answers: 19 }, // 0.952
  'not flagged, speaks to the reader': { right: 20, answers: 34 }, // 0.583
  'not flagged, names someone': { right: 8, answers: 9 }, // 0.818
  'not flagged, nothing': { right: 31, answers: 33 }, // 0.914
};

export const moderationBucketScore = (bucket: ModerationBucket): number => {
  const { right, answers } = MODERATION_BUCKETS[bucket];
  return Math.round(((right + 1) / (answers + 2)) * 1000) / 1000;
};

// The cues, as words and short phrases looked up per token: one linear pass over the folded text,
// whatever its shape (a regex alternation tried at every position cost 4× the lexicon on "a,a,…").

/**
 * The reader, addressed: what an insult or a veiled threat without a listed word is aimed at
 * ("You are the reason your parents cry at night."). Ordinary text addresses the reader too, and
 * business or courtesy words did not tell the two apart on the calibration data (a sentence with
 * "refund", "invoice", "thanks" … was right 10 times in 13, one without 10 in 21: both under the
 * threshold), so any address to the reader is one bucket.
 */
const READER_WORDS = new Set("you your yours yourself yourselves u ur ya you're you'll you've you'd".split(' '));
/** Someone a message can menace: the reader, a third person, people, a group or an identity. */
const TARGET_WORDS = new Set(
  ('you your yours yourself u ur ya he him his she her they them their someone somebody everyone people women men girls ' +
    'refugees gays gay lesbians trans disabled black elderly kind religion race accent country').split(' '),
);
const TARGET_STEMS = ['immigra', 'migrant', 'foreign', 'muslim', 'jew', 'christian', 'hindu', 'asian', 'arab', 'mexican', 'lesbian'];
/** Harm, death, menace and warning words: what a threat or a wish of harm is made of, said plainly or veiled. */
const MENACE_WORDS = new Set(
  ('die dies died dying dead death shot gun guns knife knives weapon weapons fire accident accidents lesson careful hell gone breathe ' +
    'alone address capable pill pills tablet tablets overdose jump rope cancer vermin').split(' '),
);
const MENACE_STEMS = ['kill', 'murder', 'hurt', 'harm', 'bleed', 'blood', 'shoot', 'stab', 'bomb', 'burn', 'beat', 'attack', 'destroy', 'regret', 'suffer', 'warn', 'vanish', 'disappear', 'breed', 'deport', 'wipe'];
const MENACE_PHRASES = new Set([
  'pay for', 'watch out', 'watch yourself', 'watch your back', 'find out', 'what happens', 'without you', 'without me', 'waiting for',
  'know where', 'problems like', 'while you can', 'while you still', 'last warning', 'last night', 'last chance', 'last time', 'go back',
  'not welcome', 'only good for',
]);
/** A statement about what will or could happen: how a veiled threat is phrased. */
const PREDICTION_WORDS = new Set("will won't would might may gonna could shall unless until soon tonight".split(' '));
const PREDICTION_PHRASES = new Set(['going to', 'or else', 'next time', 'one day']);
/** First-person talk of ending or not going on: self-harm said without the lexicon's phrases. */
const SELF_WORDS = new Set("i i'm i've my me myself".split(' '));
const ENDING_WORDS = new Set('pill pills tablet tablets gone end die dead alive jump bridge goodbye disappear'.split(' '));
const ENDING_PHRASES = new Set(['last night', 'last day', 'last time', 'better off', 'wake up']);

/** Stems as one anchored pattern per list: tried once per word, not once per stem. */
const stemPattern = (stems: readonly string[]) => new RegExp(`^(?:${stems.join('|')})`);
const TARGET_STEM = stemPattern(TARGET_STEMS);
const MENACE_STEM = stemPattern(MENACE_STEMS);
/** First words of the phrases above: only after one of them is a two- or three-word phrase built. */
const PHRASE_STARTS = new Set(
  [...MENACE_PHRASES, ...PREDICTION_PHRASES, ...ENDING_PHRASES, 'people like'].flatMap((phrase) => phrase.split(' ').slice(0, -1)),
);
const SENTENCE_END = /^[.!?;\n]$/;

interface SentenceCues {
  target: boolean;
  reader: boolean;
  menace: boolean;
  prediction: boolean;
  self: boolean;
  ending: boolean;
}

const noCues = (): SentenceCues => ({ target: false, reader: false, menace: false, prediction: false, self: false, ending: false });

interface TextCues {
  /** A sentence aims menace or a prediction at someone, or talks of ending in the first person. */
  aimed: boolean;
  menace: boolean;
  target: boolean;
  /** The text addresses the reader. */
  address: boolean;
}

/** What the text holds, read per sentence (a cue in one sentence and a target in the next do not combine). */
function readCues(folded: string): TextCues {
  let aimed = false;
  let menace = false;
  let target = false;
  let address = false;
  let cues = noCues();
  let previous = '';
  let beforePrevious = '';
  const closeSentence = () => {
    if ((cues.target && (cues.menace || cues.prediction)) || (cues.self && cues.ending)) aimed = true;
    menace ||= cues.menace;
    target ||= cues.target;
    address ||= cues.reader;
    cues = noCues();
    previous = beforePrevious = '';
  };
  for (const [token] of folded.matchAll(/[\p{L}\p{N}']+|[.!?;\n]/gu)) {
    if (token.length === 1 && SENTENCE_END.test(token)) {
      closeSentence();
      continue;
    }
    const bigram = PHRASE_STARTS.has(previous) ? `${previous} ${token}` : '';
    const trigram = PHRASE_STARTS.has(beforePrevious) && PHRASE_STARTS.has(previous) ? `${beforePrevious} ${previous} ${token}` : '';
    beforePrevious = previous;
    previous = token;
    cues.target ||= TARGET_WORDS.has(token) || TARGET_STEM.test(token) || bigram === 'people like';
    cues.menace ||= MENACE_WORDS.has(token) || MENACE_STEM.test(token) || MENACE_PHRASES.has(bigram) || MENACE_PHRASES.has(trigram);
    cues.prediction ||= PREDICTION_WORDS.has(token) || token.endsWith("'ll") || token.endsWith("'d") || PREDICTION_PHRASES.has(bigram);
    cues.reader ||= READER_WORDS.has(token);
    cues.self ||= SELF_WORDS.has(token);
    cues.ending ||= ENDING_WORDS.has(token) || ENDING_PHRASES.has(bigram);
  }
  closeSentence();
  return { aimed, menace, target, address };
}

/**
 * The evidence bucket of one verdict (`folded`: the text through the lexicon's foldForLexicon):
 * what flagged it, or what an unflagged text still holds. One abuse rule and several were tried
 * apart: 46 of 46 and 5 of 5 right on the calibration data, too few wrong to tell them apart, so
 * they are one bucket.
 */
export function moderationBucket(folded: string, abuseMatchCount: number, personalData: boolean): ModerationBucket {
  if (abuseMatchCount > 0) return 'flagged, abuse';
  if (personalData) return 'flagged, personal data only';
  const cues = readCues(folded);
  if (cues.aimed) return 'not flagged, aimed at someone';
  if (cues.menace) return 'not flagged, trigger word';
  if (cues.address) return 'not flagged, speaks to the reader';
  return cues.target ? 'not flagged, names someone' : 'not flagged, nothing';
}
