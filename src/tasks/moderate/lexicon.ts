/**
 * The local tier's abuse lexicon: deliberately small, hand-curated, English only. It catches
 * common profanity, explicit threats of violence against someone and direct insults or
 * harassment, with word boundaries so that "Scunthorpe", "classic" or "skill you" do not match.
 * Since issue 14 it also catches threats, identity-based hate, harassment and self-harm phrasing
 * written without a swear word, by phrase shape (an intent and a harm aimed at a person; a group
 * and a dehumanising claim about it; first-person self-harm), measured on eval/tasks-hard/moderate.mjs
 * against ordinary text that shares the trigger words ("kill the process", "I cut myself shaving",
 * "the hotline helps people thinking about suicide"). It does NOT cover slurs, sexual content,
 * veiled abuse that names neither harm nor group, misspelt abuse beyond simple masking (f*ck,
 * sh1t), or any other language: use Workers AI (Llama Guard) or Hugging Face (toxic-bert) for those.
 *
 * Patterns run on a folded copy of the text: lowercase, diacritics removed, curly apostrophes
 * straightened, common masking undone before a letter (@→a, 0→o, 1/!→i, 3→e, $→s; f*ck and sh*t are in the patterns).
 */
export type AbuseCategory = 'profanity' | 'threat' | 'harassment' | 'hate' | 'self_harm';

const PRONOUN = String.raw`(?:you|u|ya|him|her|them|your (?:family|kids|wife|husband|mom|mother|dad))`;
/** Groups that identity hate targets (no slurs: those are out of scope, see above). */
const GROUP = String.raw`(?:women|men|girls|immigrants|migrants|refugees|foreigners|muslims|jews|christians|hindus|gays|gay people|lesbians|trans people|disabled people|black people|white people|asians|mexicans|arabs|old people|the elderly|people from (?:that|this|your) country|people with your accent|your kind|your sort|your religion|their kind|their sort|those people|you people)`;
const DEHUMANISING = String.raw`(?:vermin|animals|parasites|rats|cockroaches|a disease|a plague|a burden|filth|scum|subhuman|inferior|criminals|thieves|(?:all )?(?:thieves|liars)(?: and \w+)?|mentally ill|too stupid|useless|not welcome|not human|a cancer|only good for)`;
const VIOLENT = String.raw`(?:stab|strangle|slap|punch|shoot|murder|choke|beat|smash|kill|hurt|bleed)`;
const PERSON = String.raw`(?:you|u|him|her|them|whoever|the next (?:person|agent|guy|one|driver|customer|idiot)|anyone|everyone|someone|somebody|your (?:\w+ )?(?:family|kids|children|wife|husband|mom|mother|dad|daughter|son|team|staff|manager|boss))`;
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
    new RegExp(String.raw`\b${INTENT} ${VIOLENT} ${PERSON}\b(?! (?:an?|the|some|my) (?:email|e-mail|message|note|text|line|invite|link|dm|photo|picture)s?\b)`),
    /\bi know where you (?:work|sleep|park)\b/,
    /\bbreak (?:his|her|their|your) (?:jaw|legs?|neck|face|arms?|nose|teeth|bones)\b/,
    /\bburn (?:the|your|this|that) \w+ (?:down|to the ground)\b/,
    /\bput a bullet in\b/,
    /\bhunt (?:you|them|him|her) down\b/,
    /\bbring(?:ing)? a (?:knife|gun|bat|weapon|machete)\b/,
    /\bcom(?:e|ing) (?:to|for) (?:you|your \w+)\b[^.]*\bwith an? (?:bat|knife|gun|weapon|machete)\b/,
    /\b(?:you|your (?:\w+ )?(?:family|kids|children|wife|husband|team)) will (?:pay|regret|suffer)\b/,
    /\bmake (?:sure )?(?:you|him|her|them) (?:pay|suffer|regret|disappear)\b/,
    /\bsleep with one eye open\b/,
    /\bshame if something (?:happened|happens|were to happen) to your\b/,
    // Since the calibration data's misses (dev calibration rows, the ordinary set's veiled rows):
    // veiled threats with a fixed shape and no other reading.
    /\byou(?:'ll| will| are going to|'re going to) (?:soon )?find out what i(?:'m| am) capable of\b/,
    /\bteach (?:you|him|her|them|that \w+|this \w+|the \w+) a lesson\b(?! (?:in|on|about|from|of)\b)/,
    /\b(?:deal|deals|dealt) with (?:problems|people) like you\b/,
    /\b(?:people like you|you(?: all| people)?) (?:should|must|deserve to|ought to) be wiped (?:off|out)\b/,
    /\bor else\s*[.!]*\s*$/,
    /\bi hope (?:you|your \w+) (?:get cancer|die|dies|crash|crashes|burn|burns|rot|suffer)\b/,
    /\bdie in a fire\b/,
    /\b(?:deserve|deserves) to (?:be hurt|die|suffer)\b(?<!\bi deserve to die)/,
    /\bshould (?:be )?(?:locked up and )?(?:beaten|shot|hanged|put down)\b/,
  ],
  harassment: [
    /\byou(?:'re| are|r| r)? (?:such )?(?:an? )?(?:(?:fucking|complete|total|pathetic|stupid|useless|worthless) )?(?:idiot|moron|imbecile|loser|retard|clown|failure|piece of (?:shit|garbage|trash|crap)|waste of (?:space|air|oxygen))s?\b/,
    /\byou(?:'re| are|r| r)? (?:so |really |such )?(?:stupid|pathetic|worthless|useless|dumb|ugly|disgusting)\b/,
    /\b(?:idiots?|morons?|imbeciles?|retards?|scumbags?|dumbass(?:es)?)\b(?!-)/,
    /\bshut (?:the \w+ )?up\b/,
    /\b(?:go )?kill yourself\b|\bkys\b|\bgo die\b/,
    /\b(?:nobody|no one|no-one) (?:likes|loves|wants|cares about) you\b/,
    /\byou should (?:die|be ashamed)\b/,
    /\b(?:nobody|no one) would miss you\b|\b(?:nobody|no one) cares\b(?=.*\bloser\b)|\bkeep crying\b/,
    /\b(?:is|are) brain ?dead\b/,
    /\byou disgust me\b|\bcrawl back under\b|\byour (?:face|voice) makes me sick\b/,
    /\bshould have (?:drowned|aborted|killed) you\b/,
    /\buntil you (?:break|cry|quit)\b/,
    /\bworthless excuse\b|\bwaste of (?:space|oxygen|air)\b|\bpathetic little\b|\blaughs? at you behind your back\b/,
    /\bnever speak again\b|\bare you stupid\b|\bpost your (?:home )?address\b/,
    // Since the calibration data's misses: wishing someone gone, said without a harm word.
    /\b(?:world|everyone|everybody|we) would be (?:a )?(?:better|happier)(?: place| off)? (?:without you|if you (?:just |would )?(?:vanished|disappeared|died|were gone))\b/,
    /\bdo (?:us|everyone|everybody|the world) a favou?r and (?:disappear|vanish|die)\b/,
  ],
  hate: [
    new RegExp(String.raw`\b${GROUP} (?:are|is) (?:all |just |nothing but )?${DEHUMANISING}`),
    new RegExp(String.raw`\b${GROUP} (?:should|must) (?:not|never|all) (?:be allowed|work|vote|be served|manage|live|exist|be sent back|be deported|go back|die)`),
    new RegExp(String.raw`\b${GROUP} (?:should|must) (?:be )?(?:sent back|deported|go back|die off|die|be locked up)`),
    new RegExp(String.raw`\b(?:filthy|dirty|stupid|lazy) ${GROUP}`),
    new RegExp(String.raw`\b${GROUP} (?:control|ruin|are ruining|destroy) (?:the|every|our)\b`),
    // Since the calibration data's misses: the old "they breed / they take our jobs" tropes.
    new RegExp(String.raw`\b${GROUP} (?:breed like|(?:take|steal|are taking|are stealing) our (?:jobs|homes|benefits|country))\b`),
    /\bsend (?:them|you) (?:all )?back (?:to )?where (?:they|you) came from\b|\bgo back (?:to )?where you came from\b/,
    /\bi (?:do not|don't) want an? (?:muslim|jewish|black|gay|female|woman|foreign|immigrant|trans|disabled|asian|arab) (?:doctor|nurse|driver|agent|person|teacher|man|woman)\b/,
    /\b(?:a )?(?:woman|female|foreign|immigrant|muslim|black|asian|old) \w+, no wonder\b/,
    /\bno offence,? but (?:women|men|foreigners|immigrants|muslims|jews|gays|trans people|old people)\b/,
  ],
  self_harm: [
    /\b(?:kill|hurt|harm) myself\b/,
    /\bend (?:it all|my life)\b/,
    /\b(?:do not|don't|no longer) want to (?:be alive|live|exist|wake up)\b|\bto not wake up\b|\bnever wake up again\b/,
    /\btake all (?:my|the|of my) (?:pills|tablets)\b|\boverdose\b/,
    /\b(?:been|keep|started|am) cutting myself\b/,
    /\bi (?:deserve to die|want to die|wish i (?:was|were) dead)\b/,
    /\bbetter off without me\b|\b(?:better off|happier) (?:if|when) i(?:'m| am| was| were) (?:gone|dead|not here|not around)\b/,
    /\bstockpil\w* my (?:\w+ )?(?:pills|tablets|meds|medication)\b/,
    /\b(?:written|wrote|writing) my goodbye (?:letters?|notes?)\b|\bsuicide note\b/,
    /\bon the (?:bridge|ledge|roof)\b[^.]*\b(?:going to|gonna|will) jump\b/,
    /\bno point (?:in )?(?:going on|living)\b(?! with)/,
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
  return abuseMatchesFolded(foldForLexicon(text));
}

/** Each category's patterns, global, made once: `String.prototype.match` starts a global pattern at 0 and counts every match. */
const GLOBAL_PATTERNS = Object.entries(ABUSE_PATTERNS).map(([category, patterns]) => [category, patterns.map((pattern) => new RegExp(pattern.source, 'g'))] as [AbuseCategory, RegExp[]]);

/** abuseMatches of a text already folded with foldForLexicon (the local tier folds once per text). */
export function abuseMatchesFolded(folded: string): Partial<Record<AbuseCategory, number>> {
  const found: Partial<Record<AbuseCategory, number>> = {};
  for (const [category, patterns] of GLOBAL_PATTERNS) {
    let count = 0;
    for (const pattern of patterns) count += folded.match(pattern)?.length ?? 0;
    if (count > 0) found[category] = count;
  }
  return found;
}
