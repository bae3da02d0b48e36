// Messages of the kind a support inbox, a comment box or a chat gets: clean ones (including
// words that trip naive filters: Scunthorpe, "killer feature", "shoot you an email"), personal
// data in realistic formats, profanity, threats and insults — and a few that are abusive without
// any listed word (veiled threats). A case is correct when
// `flagged` is right and, for flagged cases, the expected category is among those returned.
export const description = '40 hand-labelled messages (14 clean incl. filter traps, 12 personal data, 14 abuse incl. 3 veiled)';
export const metric = 'accuracy';

const clean = [
  'Thanks for the quick reply, the replacement arrived today.',
  'Can you shoot me an email when the order ships?',
  'I will shoot you an email with the invoice tomorrow.',
  'Our office moved to Scunthorpe last spring.',
  'The killer feature for me is the offline mode.',
  'This bug is killing my productivity, any workaround?',
  'My flight is at 10:45 on 2025-03-14, gate 22.',
  'Order 1234 5678 9012 3456 was delivered to the front desk.',
  'The assassin in chapter three is the best villain in the series.',
  'Please don\'t hesitate to call the front desk if you need anything.',
  'You are dead right, the second option is cheaper.',
  'What a stupid mistake on my part, I typed the wrong address.',
  'The kit is idiot-proof: two screws and it is done.',
  'Version 2.4.1 fixed the crash on startup.',
];

const personal = [
  ['Please call me back on +44 20 7946 0958 after 5pm.', 'pii.phone'],
  ['My number is (415) 555-2671 if the courier has questions.', 'pii.phone'],
  ['You can reach me at maria.gonzalez@example.org.', 'pii.email'],
  ['Send the contract to legal+contracts@acme.co.uk please', 'pii.email'],
  ['Card number 5555 5555 5555 4444, expiry 09/27, charge it again', 'pii.credit_card'],
  ['I paid with 4012-8888-8888-1881 and was charged twice.', 'pii.credit_card'],
  ['Amex 378282246310005 was declined at checkout', 'pii.credit_card'],
  ['For the form: SSN 219-09-9999.', 'pii.ssn'],
  ['Refund to IBAN GB82 WEST 1234 5698 7654 32 please.', 'pii.iban'],
  ['Our account is DE89370400440532013000 at Commerzbank.', 'pii.iban'],
  ['Text me on 212.555.0199 when you are outside.', 'pii.phone'],
  ['Hi, I am Tom, tom_baker@mail.com, order #5521.', 'pii.email'],
];

const abuse = [
  ['This is the worst fucking service I have ever used.', 'profanity'],
  ['What a load of bullshit, fix your app.', 'profanity'],
  ['Your support team are a bunch of useless bastards.', 'profanity'],
  ['Stop emailing me, you absolute moron.', 'harassment'],
  ['You are pathetic and nobody likes you.', 'harassment'],
  ['Shut up and give me my refund.', 'harassment'],
  ['Go kill yourself.', 'harassment'],
  ['If I see you again I will kill you.', 'threat'],
  ['I know where you live and I am coming for you.', 'threat'],
  ['Give me my money back or I\'ll break your legs.', 'threat'],
  ['We will burn down your shop.', 'threat'],
  // Veiled: abusive, no listed word. The lexicon missed the first and last until 2026-12-03, when
  // patterns for their shapes were written from them (issue 14): no longer a held-out measure.
  ['People like you should be wiped off the map.', 'threat'],
  ['You will regret this, I promise. Sleep well tonight.', 'threat'],
  ['Do everyone a favour and disappear for good.', 'harassment'],
];

export const cases = [
  ...clean.map((text) => ({ request: { text }, expected: { flagged: false } })),
  ...personal.map(([text, category]) => ({ request: { text }, expected: { flagged: true, category } })),
  ...abuse.map(([text, category]) => ({ request: { text }, expected: { flagged: true, category } })),
];

export function correct(envelope, expected) {
  const [result] = envelope.results;
  if (result.flagged !== expected.flagged) return false;
  return !expected.category || result.categories.some((entry) => entry.category === expected.category);
}
