/**
 * The local tier's abuse lexicon: deliberately small, hand-curated, English only. It catches
 * common profanity, explicit threats of violence against someone and direct insults or
 * harassment, with word boundaries so that "Scunthorpe", "classic" or "skill you" do not match.
 * It does NOT cover hate speech or slurs, sexual content, self-harm, veiled or misspelt abuse
 * beyond simple masking (f*ck, sh1t), or any other language: use Workers AI (Llama Guard) or
 * Hugging Face (toxic-bert) for those.
 *
 * Patterns run on a folded copy of the text: lowercase, diacritics removed, curly apostrophes
 * straightened, common masking undone before a letter (@→a, 0→o, 1/!→i, 3→e, $→s; f*ck and sh*t are in the patterns).
 */
export type AbuseCategory = 'profanity' | 'threat' | 'harassment';

const PRONOUN = String.raw`(?:you|u|ya|him|her|them|your (?:family|kids|wife|husband|mom|mother|dad))`;
const INTENT = String.raw`(?:i(?:'ll| will| am going to|'m going to|'m gonna| am gonna| gonna)|we(?:'ll| will| are going to|'re going to|'re gonna)|gonna|going to|will)`;

export const ABUSE_PATTERNS: Readonly<Record<AbuseCategory, readonly RegExp[]>> = {
  profanity: [
    /\b(?:mother)?f+[u*]+c+k+(?:s|ed|er|ers|in|ing|face|head|wit)?\b/,
    /\b(?:bull)?sh[i*]+t+(?:s|ty|head|hole|ting)?\b/,
    /\bbitch(?:es|y|ing)?\b/,
    /\b(?:ass|arse)holes?\b/,
    /\bbastards?\b/,
    /\bcunts?\b/,
    /\bdick ?heads?\b/,
    /\bwankers?\b/,
    /\btwats?\b/,
    /\bpiss(?:ed)? off\b/,
    /\bwhores?\b/,
    /\bsluts?\b/,
    /\bwtf\b/,
  ],
  threat: [
    new RegExp(String.raw`\b(?:kill|murder|stab|strangle|behead|rape|shoot)(?:ing)? ${PRONOUN}\b(?! (?:an?|the|some|my) (?:email|e-mail|message|note|text|line|invite|link|dm|photo|picture)s?\b)`),
    new RegExp(String.raw`\b${INTENT} (?:hurt|beat|punch|break|burn|find|get|destroy) ${PRONOUN}\b`),
    /\b(?:you(?:'re| are)|ur) (?:so )?dead(?: meat)?\b(?! (?:tired|wrong|right|on|set|serious))/,
    /\bwatch your back\b/,
    /\bi know where you live\b/,
    /\bbreak your (?:legs?|neck|face|arms?|bones)\b/,
    /\bburn (?:down )?your (?:house|home|car|shop)\b/,
    /\bbeat (?:you|the \w+ out of you) up\b|\bbeat the \w+ out of you\b/,
    /\bslit your throat\b/,
  ],
  harassment: [
    /\byou(?:'re| are|r| r)? (?:such )?(?:an? )?(?:(?:fucking|complete|total|pathetic|stupid|useless|worthless) )?(?:idiot|moron|imbecile|loser|retard|clown|failure|piece of (?:shit|garbage|trash|crap)|waste of (?:space|air|oxygen))s?\b/,
    /\byou(?:'re| are|r| r)? (?:so |really |such )?(?:stupid|pathetic|worthless|useless|dumb|ugly|disgusting)\b/,
    /\b(?:idiots?|morons?|imbeciles?|retards?|scumbags?|dumbass(?:es)?)\b(?!-)/,
    /\bshut (?:the \w+ )?up\b/,
    /\b(?:go )?kill yourself\b|\bkys\b|\bgo die\b/,
    /\b(?:nobody|no one|no-one) (?:likes|loves|wants|cares about) you\b/,
    /\byou should (?:die|be ashamed)\b/,
  ],
};

/** Lowercases, folds diacritics and curly quotes, and undoes common masking, for the patterns above. */
export function foldForLexicon(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    // Only before a letter, so "Shut up!" keeps its "!" and numbers at word ends stay numbers.
    .replace(/[0@1!3$](?=\p{L})/gu, (char) => ({ '0': 'o', '@': 'a', '1': 'i', '!': 'i', '3': 'e', $: 's' })[char] ?? char)
    .replace(/\s+/g, ' ');
}

/** Score of a lexicon category from its number of matches: 1 → 0.8, 2 → 0.92, 3 → 0.97 … */
export const lexiconScore = (matches: number): number => 1 - 0.2 * 0.4 ** (matches - 1);

/** How many times each abuse category's patterns match the text (categories with none omitted). */
export function abuseMatches(text: string): Partial<Record<AbuseCategory, number>> {
  const folded = foldForLexicon(text);
  const found: Partial<Record<AbuseCategory, number>> = {};
  for (const [category, patterns] of Object.entries(ABUSE_PATTERNS) as [AbuseCategory, readonly RegExp[]][]) {
    let count = 0;
    for (const pattern of patterns) count += folded.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
    if (count > 0) found[category] = count;
  }
  return found;
}
