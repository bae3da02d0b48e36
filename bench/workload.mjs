// The workload `npm run bench:cost` replays: a deterministic sequence of single-item requests over
// six tasks, each input drawn Zipf-like from a fixed vocabulary of distinct inputs per task.
//
// Why Zipf: real traffic repeats itself unevenly — a few inputs (a popular product's reviews
// re-scored on every page view, "where is my order?", "thanks!") come back constantly, most come
// once. Rank r of a task's vocabulary is drawn with probability ∝ 1 / r^s; the vocabulary is
// shuffled first, so which inputs are popular (short or long, eval case or generated) is random.
//
// The inputs: every task's vocabulary starts with the hand-written cases of eval/tasks/<task>.mjs
// and is filled up to its size with texts composed from realistic fragments (reviews, support
// tickets, search queries, comments, contact details, short messages in ten languages), each
// made distinct by its fragments and by numbers (order ids, amounts, dates) — the way real
// messages differ. Generation uses its own seeded PRNG, so the vocabulary is identical run to run.
//
// Parameters (defaults; `npm run bench:cost` reads overrides from the environment):
//   BENCH_REQUESTS  10,000 … total requests                                  (default 12000)
//   BENCH_ZIPF_S    Zipf exponent s, the same for every task                  (default 0.9)
//   BENCH_VOCAB     distinct inputs per task = BENCH_VOCAB × the task's expected requests
//                   (default 2: at least half of each vocabulary is never drawn, and roughly
//                   45 % of requests are an input's first appearance)
//   BENCH_SEED      seed of mulberry32, for the vocabulary and the request sequence (default 20261128)
// Task shares of requests are fixed (TASK_SHARES below).

import { cases as classifyCases } from '../eval/tasks/classify.mjs';
import { cases as embedCases } from '../eval/tasks/embed.mjs';
import { cases as entitiesCases } from '../eval/tasks/entities.mjs';
import { cases as languageCases } from '../eval/tasks/language.mjs';
import { cases as moderateCases } from '../eval/tasks/moderate.mjs';
import { cases as sentimentCases } from '../eval/tasks/sentiment.mjs';
import { mulberry32 } from '../scripts/lib/mulberry32.mjs';

/** Share of all requests per task (sums to 1). */
export const TASK_SHARES = { sentiment: 0.25, classify: 0.2, embed: 0.2, moderate: 0.15, entities: 0.1, language: 0.1 };

/** The label set the classify tenant routes support tickets with. */
export const SUPPORT_LABELS = ['billing', 'shipping', 'account access', 'product defect', 'cancellation'];
/** The entity types the entities tenant extracts: contact details, amounts and dates. */
export const ENTITY_TYPES = ['email', 'phone', 'url', 'money', 'date', 'time'];

/** Draws a 0-based rank in [0, n) with P(rank r) ∝ 1 / (r + 1)^s. */
export function zipfSampler(n, s, rng) {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cumulative[r] = total += 1 / (r + 1) ** s;
  return () => {
    const u = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The share of draws the top `k` ranks get (for the README's description of the head). */
export function zipfHeadShare(n, s, k) {
  let head = 0;
  let total = 0;
  for (let r = 1; r <= n; r++) {
    const w = 1 / r ** s;
    total += w;
    if (r <= k) head += w;
  }
  return head / total;
}

// --- fragments ---------------------------------------------------------------------------------
const PRODUCTS = [
  'headphones', 'blender', 'phone case', 'running shoes', 'coffee maker', 'laptop stand', 'backpack', 'desk lamp',
  'vacuum cleaner', 'electric toothbrush', 'smart watch', 'winter jacket', 'yoga mat', 'air fryer', 'office chair',
  'kettle', 'router', 'keyboard', 'monitor', 'tent', 'water bottle', 'sofa', 'mattress', 'printer', 'camera',
  'speaker', 'charger', 'jeans', 'sneakers', 'frying pan', 'e-reader', 'tablet', 'drone', 'microwave', 'hair dryer',
  'suitcase', 'bike helmet', 'stroller', 'garden hose', 'rice cooker',
];
const REVIEW_SUBJECTS = ['The {p}', 'This {p}', 'My new {p}', 'The {p} I ordered', 'The {p} from your shop'];
const POSITIVE = [
  'works perfectly', 'is exactly as described', 'exceeded my expectations', 'is worth every penny', 'arrived early and works great',
  'feels solid and well made', 'is the best thing I bought this year', 'is comfortable and looks great', 'was easy to set up',
  'is fast and quiet', 'has amazing battery life', 'looks even better in person', 'does the job brilliantly',
  'is great value for the price', 'gets better with every update', 'made my mornings so much easier',
];
const NEGATIVE = [
  'stopped working after a week', 'arrived broken', 'is much smaller than the pictures', 'feels cheap and flimsy',
  'is way too loud', 'broke on the second day', 'keeps disconnecting', 'is a total waste of money', 'smells like burnt plastic',
  'never arrived', 'was missing parts', 'overheats after ten minutes', 'was damaged in the box', 'is uncomfortable to use',
  'drains the battery in an hour', 'is worse than the old model',
];
const NEUTRAL = [
  'arrived on Tuesday', 'comes in black and grey', 'is the 2023 model', 'was delivered to my neighbour', 'has two USB ports',
  'is available in three sizes', 'needs four AA batteries', 'ships from the Berlin warehouse', 'was ordered as a gift',
  'came in a plain brown box', 'is the same as the one in the store', 'weighs about two kilos',
];
const REVIEW_OPENERS = ['', '', '', 'Honestly, ', 'Update: ', 'Well, ', 'So far ', 'After two weeks, ', 'To be fair, ', 'Wow. '];
const REVIEW_CLOSERS = [
  '', '', '', ' Would buy again.', ' Highly recommend!', ' Five stars.', ' Would not recommend.', ' Very disappointed.',
  ' Returning it.', ' Thanks!', ' Not sure what to think yet.', ' Support was helpful.', ' Support never replied.', ' 10/10.',
  ' One star.', ' Delivery took {k} days.', ' Paid ${m} for it.',
];
const FIRST = ['Anna', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kemal', 'Laura', 'Marco', 'Nadia', 'Oliver', 'Priya', 'Quentin', 'Rosa', 'Sam', 'Tomás', 'Uma', 'Victor', 'Wen', 'Yusuf', 'Zoe'];
const LAST = ['Schmidt', 'Garcia', 'Novak', 'Okafor', 'Rossi', 'Dubois', 'Kowalski', 'Lindqvist', 'Tanaka', 'Haddad', 'Murphy', 'Silva', 'Jensen', 'Ivanova', 'Patel', 'Moreau', 'Fischer', 'Costa', 'Brown', 'Yilmaz'];
const DOMAINS = ['example.com', 'mail.example.org', 'shop-example.de', 'example.co.uk', 'acme.example', 'example.net'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const TICKETS = {
  billing: [
    'I was charged twice for order {n}.', 'Why is there a ${m} fee on my invoice?', 'My card was billed after the free trial ended.',
    'The invoice for {month} shows the wrong amount.', 'Can I get a refund for the duplicate payment of ${m}?',
    'You took ${m} from my account but the order was cancelled.', 'The price on the invoice is higher than on your website.',
  ],
  shipping: [
    'Order {n} has not arrived yet.', 'The tracking for my parcel has not moved since {day}.', 'My package was delivered to the wrong address.',
    'When will order {n} ship?', 'The courier says parcel {n} is lost.', 'It has been {k} days and my {p} is still not here.',
    'Can you send order {n} by express delivery instead?',
  ],
  'account access': [
    'I cannot log in to my account since {day}.', 'The password reset email never arrives.', 'My account is locked after too many attempts.',
    'Two-factor codes are not working on my new phone.', 'I forgot which email address I signed up with.',
    'The app logs me out every time I open it.', 'I changed my phone number and now I cannot sign in.',
  ],
  'product defect': [
    'The {p} stopped working after {k} days.', 'My {p} arrived with a crack in it.', 'The {p} makes a loud noise when it starts.',
    'One of the buttons on the {p} is stuck.', 'The {p} will not charge anymore.', 'The {p} gets very hot after a few minutes.',
    'The zip on the {p} broke the first time I used it.',
  ],
  cancellation: [
    'Please cancel my subscription before the next billing date.', 'I want to close my account.', 'How do I cancel order {n}?',
    'Cancel my membership please, I am moving abroad.', 'Stop my plan at the end of {month}.', 'I ordered the {p} by mistake, please cancel it.',
    'I no longer need the {p}, cancel order {n}.',
  ],
};
const TICKET_OPENERS = ['', '', 'Hi, ', 'Hello team, ', 'Hey, ', 'Good morning, ', 'Urgent: ', 'Dear support, '];
const TICKET_CLOSERS = ['', '', ' Thanks.', ' Please help.', ' This is the second time I am writing.', ' Regards, {first}.', ' Order number {n}.', ' Can someone call me back?'];

const ACTIONS = [
  'reset my password', 'change my delivery address', 'cancel my order', 'return a damaged item', 'update my payment method',
  'track my parcel', 'download my invoice', 'change my plan', 'delete my account', 'add a second user', 'get a refund',
  'change the language', 'turn on two-factor authentication', 'talk to a human', 'use a discount code', 'pay in instalments',
  'change my email address', 'pause my subscription', 'export my data', 'connect my calendar', 'exchange for a different size',
  'book a repair', 'find my order number', 'unsubscribe from emails',
];
const QUERY_FORMS = ['how do I {a}', 'how can I {a}', 'can I {a}', 'where can I {a}', 'is it possible to {a}', '{a}', 'I want to {a}', 'help me {a}', 'how to {a}'];
const QUERY_SUFFIXES = ['', '', '', '?', ' on the app', ' on the website', ' on android', ' on iphone', ' from abroad', ' without logging in', ' for my {p}', ' for order {n}'];
const SEARCH_ADJ = ['cheap', 'waterproof', 'wireless', 'lightweight', 'kids', 'black', 'refurbished', 'quiet', 'large', 'foldable', 'stainless steel', 'eco friendly'];
const SEARCH_FORMS = ['{adj} {p}', '{adj} {p} under {price}', 'best {p} for {use}', '{p} {adj}', '{p} with free delivery', '{adj} {p} on sale'];
const USES = ['travel', 'running', 'students', 'small kitchens', 'the office', 'camping', 'beginners', 'gifts'];

const CLEAN_COMMENTS = [
  'Thanks for the quick reply, {first}!', 'Does the {p} come in other colours?', 'Great article, very helpful.', 'Is the {p} back in stock yet?',
  'I had the same problem with my {p}, a restart fixed it.', 'Which size would you recommend for the {p}?', 'See you all at the meetup on {day}.',
  'This killer deal on the {p} ends {day}, right?', 'Can someone shoot me a link to the manual?', 'Lol same here', 'ok thanks', 'First!',
  'Following, I want to know too.', 'Mine arrived {day}, no issues.', 'Does the discount apply to the {p}?',
];
const PII_COMMENTS = [
  'You can reach me at {email}.', 'Call me back on {phone} please.', 'My email is {email}, send the label there.', 'Text me at {phone} when you are outside.',
  'I paid with card {card} and was charged twice.', 'Refund to IBAN {iban} please.', 'Contact {first} at {email} or {phone}.',
];
const ABUSE_COMMENTS = [
  'This {p} is a piece of shit.', 'You are useless idiots, fix the {p}.', 'Stop emailing me, you moron.', 'What a load of bullshit, where is my {p}?',
  'Shut up and give me my refund.', 'If the {p} is not here by {day} I will hurt you.', 'Your support team are a bunch of losers.',
  'Fucking hell, {k} days and nothing.', 'Nobody cares about your stupid {p}.',
];

const ENTITY_FORMS = [
  'Hi, this is {first} {last}. Reach me at {email} or {phone}.', 'Order {n} for ${m} was placed on {month} {d}, {y}.',
  'Meeting with {first} at {hh}:{mm} on {month} {d}, details at https://{domain}/meetings/{n}',
  'Invoice {n}: ${m} due by {month} {d}. Questions to {email}.', 'Please call {phone} before {hh}:{mm} tomorrow.',
  'Refund of ${m} was issued on {month} {d}, {y}; contact {email} if it has not arrived.', 'New address for {first} {last}: see https://{domain}/profile/{n}',
  'Delivery slot {month} {d} between {hh}:00 and {hh2}:00, driver phone {phone}.', 'Your subscription renews on {month} {d} for ${m}.',
];

const LANGUAGE_FORMS = {
  en: ['My order {n} has not arrived yet.', 'Thanks, order {n} arrived today!', 'Can I return order {n}?', 'Where is parcel {n}?'],
  es: ['Mi pedido {n} todavía no ha llegado.', 'Gracias, el pedido {n} llegó hoy.', '¿Puedo devolver el pedido {n}?', '¿Dónde está el paquete {n}?'],
  fr: ["Ma commande {n} n'est toujours pas arrivée.", "Merci, la commande {n} est arrivée aujourd'hui.", 'Puis-je retourner la commande {n} ?', 'Où est le colis {n} ?'],
  de: ['Meine Bestellung {n} ist noch nicht angekommen.', 'Danke, die Bestellung {n} ist heute angekommen.', 'Kann ich die Bestellung {n} zurückschicken?', 'Wo ist das Paket {n}?'],
  it: ['Il mio ordine {n} non è ancora arrivato.', "Grazie, l'ordine {n} è arrivato oggi.", "Posso restituire l'ordine {n}?", 'Dove si trova il pacco {n}?'],
  pt: ['O meu pedido {n} ainda não chegou.', 'Obrigado, o pedido {n} chegou hoje.', 'Posso devolver o pedido {n}?', 'Onde está a encomenda {n}?'],
  nl: ['Mijn bestelling {n} is nog niet aangekomen.', 'Bedankt, bestelling {n} is vandaag aangekomen.', 'Kan ik bestelling {n} retourneren?', 'Waar is pakket {n}?'],
  pl: ['Moje zamówienie {n} jeszcze nie dotarło.', 'Dziękuję, zamówienie {n} dotarło dzisiaj.', 'Czy mogę zwrócić zamówienie {n}?', 'Gdzie jest paczka {n}?'],
  ru: ['Мой заказ {n} до сих пор не пришёл.', 'Спасибо, заказ {n} пришёл сегодня.', 'Могу ли я вернуть заказ {n}?', 'Где посылка {n}?'],
  tr: ['Siparişim {n} hâlâ gelmedi.', 'Teşekkürler, {n} numaralı sipariş bugün geldi.', '{n} numaralı siparişi iade edebilir miyim?', '{n} numaralı kargom nerede?'],
};

// Valid test card numbers (Luhn) and IBANs, as people paste them.
const CARDS = ['4111 1111 1111 1111', '5555 5555 5555 4444', '4012-8888-8888-1881', '378282246310005', '6011 1111 1111 1117'];
const IBANS = ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'FR14 2004 1010 0505 0001 3M02 606', 'NL91ABNA0417164300'];

// --- generation --------------------------------------------------------------------------------
function makeFill(rng) {
  const pick = (list) => list[Math.floor(rng() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  const pad = (value) => String(value).padStart(2, '0');
  const phone = () =>
    pick([
      () => `+44 20 7946 ${int(1000, 9999)}`,
      () => `(415) 555-${int(1000, 9999)}`,
      () => `+49 30 ${int(100, 999)} ${int(1000, 9999)}`,
      () => `+1 212 555 ${int(1000, 9999)}`,
      () => `0${int(100, 999)} ${int(100, 999)} ${int(1000, 9999)}`,
    ])();
  const money = () => (rng() < 0.5 ? `${int(5, 399)}.${pick(['00', '99', '50', '95'])}` : String(int(5, 1200)));
  return (template) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const hh = int(8, 18);
    const values = {
      p: () => pick(PRODUCTS), n: () => String(int(10000, 99999)), m: money, k: () => String(int(2, 21)), month: () => pick(MONTHS),
      day: () => pick(DAYS), d: () => String(int(1, 28)), y: () => String(int(2024, 2026)), first: () => first, last: () => last,
      email: () => `${first}.${last}${rng() < 0.3 ? int(1, 99) : ''}@${pick(DOMAINS)}`.toLowerCase().normalize('NFD').replace(/\p{M}/gu, ''),
      phone, hh: () => String(hh), hh2: () => String(hh + 2), mm: () => pad(pick([0, 15, 30, 45])), domain: () => pick(DOMAINS),
      card: () => pick(CARDS), iban: () => pick(IBANS), a: () => pick(ACTIONS), adj: () => pick(SEARCH_ADJ), use: () => pick(USES),
      price: () => `${int(2, 100) * 5} euros`,
    };
    return template.replace(/\{(\w+)\}/g, (_, name) => values[name]());
  };
}

const capitalize = (text) => text.charAt(0).toUpperCase() + text.slice(1);
/** Lower-cases a sentence's first letter after an opener ("Hi, the …"), but not "I" or an acronym. */
const afterOpener = (opener, sentence) => (opener && /^[A-Z][a-z]/.test(sentence) ? opener + sentence.charAt(0).toLowerCase() + sentence.slice(1) : opener + sentence);

/** One generated input per task: `(rng, fill) → request body`. */
const GENERATORS = {
  sentiment(rng, fill) {
    const pick = (list) => list[Math.floor(rng() * list.length)];
    const mood = rng();
    const predicate = pick(mood < 0.4 ? POSITIVE : mood < 0.8 ? NEGATIVE : NEUTRAL);
    const opener = pick(REVIEW_OPENERS);
    const subject = pick(REVIEW_SUBJECTS);
    return { text: fill(`${afterOpener(opener, subject)} ${predicate}.${pick(REVIEW_CLOSERS)}`) };
  },
  classify(rng, fill) {
    const pick = (list) => list[Math.floor(rng() * list.length)];
    const ticket = pick(TICKETS[pick(SUPPORT_LABELS)]);
    const opener = pick(TICKET_OPENERS);
    return { text: fill(`${afterOpener(opener, ticket)}${pick(TICKET_CLOSERS)}`), labels: SUPPORT_LABELS };
  },
  embed(rng, fill) {
    const pick = (list) => list[Math.floor(rng() * list.length)];
    return { text: fill(rng() < 0.6 ? pick(QUERY_FORMS) + pick(QUERY_SUFFIXES) : pick(SEARCH_FORMS)) };
  },
  moderate(rng, fill) {
    const pick = (list) => list[Math.floor(rng() * list.length)];
    const kind = rng();
    if (kind < 0.7) return { text: fill(rng() < 0.5 ? pick(CLEAN_COMMENTS) : GENERATORS.sentiment(rng, fill).text) };
    return { text: fill(pick(kind < 0.85 ? PII_COMMENTS : ABUSE_COMMENTS)) };
  },
  entities(rng, fill) {
    const pick = (list) => list[Math.floor(rng() * list.length)];
    return { text: fill(pick(ENTITY_FORMS)), types: ENTITY_TYPES };
  },
  language(rng, fill) {
    const pick = (list) => list[Math.floor(rng() * list.length)];
    return { text: fill(pick(LANGUAGE_FORMS[pick(Object.keys(LANGUAGE_FORMS))])) };
  },
};

/** The eval set's inputs for a task, as request bodies of this workload (single items only). */
const EVAL_SEEDS = {
  sentiment: sentimentCases.map((c) => ({ text: c.request.text })),
  // Only the support-routing cases: the tenant classifies tickets with one label set.
  classify: classifyCases.filter((c) => c.request.labels.join() === SUPPORT_LABELS.join() && !c.request.multi_label).map((c) => ({ text: c.request.text, labels: SUPPORT_LABELS })),
  // The user messages (the first text of each case), as a bot would embed them.
  embed: embedCases.map((c) => ({ text: c.request.text[0] })),
  moderate: moderateCases.map((c) => ({ text: c.request.text })),
  entities: entitiesCases.map((c) => ({ text: c.request.text, types: ENTITY_TYPES })),
  language: languageCases.map((c) => ({ text: c.request.text })),
};

function shuffle(list, rng) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** `size` distinct request bodies for a task: its eval inputs, then generated ones; shuffled. */
export function buildVocabulary(task, size, seed) {
  const rng = mulberry32(seed);
  const fill = makeFill(rng);
  const seen = new Map();
  for (const body of EVAL_SEEDS[task]) if (seen.size < size) seen.set(JSON.stringify(body), body);
  let attempts = 0;
  while (seen.size < size) {
    if (++attempts > size * 50) throw new Error(`${task}: cannot generate ${size} distinct inputs (got ${seen.size}); lower BENCH_VOCAB`);
    const body = GENERATORS[task](rng, fill);
    body.text = capitalize(body.text);
    seen.set(JSON.stringify(body), body);
  }
  return shuffle([...seen.values()], rng);
}

/**
 * The whole workload: per task its vocabulary; and the request sequence, each entry a task and a
 * body (the vocabulary entry at a Zipf-drawn rank).
 */
export function buildWorkload({ requests = 12_000, s = 0.9, vocabFactor = 2, seed = 20261128 } = {}) {
  const tasks = Object.keys(TASK_SHARES);
  const vocabularies = Object.fromEntries(
    tasks.map((task, index) => [task, buildVocabulary(task, Math.max(1, Math.round(vocabFactor * TASK_SHARES[task] * requests)), seed + 1 + index)]),
  );
  const rng = mulberry32(seed);
  const samplers = Object.fromEntries(tasks.map((task) => [task, zipfSampler(vocabularies[task].length, s, rng)]));
  const cumulativeShares = tasks.map(((sum) => (task) => (sum += TASK_SHARES[task]))(0));
  const sequence = new Array(requests);
  for (let i = 0; i < requests; i++) {
    const u = rng();
    const index = cumulativeShares.findIndex((edge) => u < edge);
    const task = tasks[index === -1 ? tasks.length - 1 : index];
    const rank = samplers[task]();
    sequence[i] = { task, rank, body: vocabularies[task][rank] };
  }
  return { params: { requests, s, vocabFactor, seed }, vocabularies, sequence };
}
