// Zero-shot classification, local tier: does the top-scored label match the one a person would pick?
// Hand-written cases across news topics, support intents, product categories, urgency and intent.
// multi_label cases count as correct when the top label is one of the expected ones.

export const description = 'Zero-shot classification: top label equals the expected label (multi_label: is one of them)';
export const metric = 'accuracy';

const NEWS = ['sports', 'politics', 'technology', 'health', 'business'];
const SUPPORT = ['billing', 'shipping', 'account access', 'product defect', 'cancellation'];
const PRODUCTS = ['electronics', 'clothing', 'kitchen', 'toys', 'books'];
const MOOD = ['complaint', 'praise', 'question'];

const single = (text, labels, expected) => ({ request: { text, labels }, expected });

export const cases = [
  single('The striker scored twice in the second half and the club moved to the top of the league table.', NEWS, 'sports'),
  single('Senators debated the immigration bill late into the night before the final vote.', NEWS, 'politics'),
  single('The chipmaker unveiled a processor with twice the battery life for laptops.', NEWS, 'technology'),
  single('Doctors warn that the flu season is arriving early and urge people to get vaccinated.', NEWS, 'health'),
  single('Shares of the retailer fell 8% after quarterly profits missed analyst forecasts.', NEWS, 'business'),
  single('The tennis champion withdrew from the tournament with a wrist injury.', NEWS, 'sports'),
  single('The prime minister called an early election after losing a confidence vote in parliament.', NEWS, 'politics'),
  single('A new study links poor sleep to a higher risk of heart disease.', NEWS, 'health'),
  single('The startup raised $40 million to expand its cloud software to Europe.', NEWS, 'business'),
  single('Engineers released an update that fixes the bug draining phone batteries.', NEWS, 'technology'),

  single('Why was I charged twice for my subscription this month? I want a refund.', SUPPORT, 'billing'),
  single('My order still has not been delivered and the courier tracking has not moved in a week.', SUPPORT, 'shipping'),
  single('I reset my password but I still cannot log in to my account.', SUPPORT, 'account access'),
  single('The blender stopped working after two days and now it smells like burning plastic.', SUPPORT, 'product defect'),
  single('Please cancel my membership, I no longer want to be billed.', SUPPORT, 'cancellation'),
  single('The invoice shows a higher price than the one on your website.', SUPPORT, 'billing'),
  single('The parcel arrived at the wrong address, my neighbour got it.', SUPPORT, 'shipping'),
  single('I get an error saying my username is locked whenever I try to sign in.', SUPPORT, 'account access'),
  single('The screen of the tablet cracked by itself and it will not turn on.', SUPPORT, 'product defect'),

  single('Wireless noise-cancelling headphones with 30 hours of battery and Bluetooth 5.3.', PRODUCTS, 'electronics'),
  single('Slim-fit cotton shirt with a button-down collar, available in navy and white.', PRODUCTS, 'clothing'),
  single('Non-stick frying pan and a set of wooden spoons for the stove.', PRODUCTS, 'kitchen'),
  single('A plush teddy bear and building blocks for children aged three and up.', PRODUCTS, 'toys'),
  single('A bestselling novel about a detective in Victorian London, paperback edition.', PRODUCTS, 'books'),
  single('Stainless steel kettle that boils water in under two minutes.', PRODUCTS, 'kitchen'),
  single('Waterproof winter jacket with a hood and warm wool lining.', PRODUCTS, 'clothing'),

  single('This is the worst service I have ever had, nobody answers my emails.', MOOD, 'complaint'),
  single('Thank you so much, the support team was fantastic and solved everything quickly!', MOOD, 'praise'),
  single('Do you ship to Canada, and how long does delivery usually take?', MOOD, 'question'),
  single('Absolutely love the new design, great job to everyone involved.', MOOD, 'praise'),

  single('The server is down and customers cannot pay, fix this immediately!', ['urgent', 'not urgent'], 'urgent'),
  single('Whenever you have time, could you update the logo on the about page?', ['urgent', 'not urgent'], 'not urgent'),
  single('Congratulations, you have won a free cruise! Click this link to claim your prize now.', ['spam', 'personal message'], 'spam'),
  single('Hi mum, I will be home for dinner around seven, love you.', ['spam', 'personal message'], 'personal message'),

  { request: { text: 'The football club reported record revenue from ticket sales and sponsorship deals.', labels: NEWS, multi_label: true }, expected: ['sports', 'business'] },
  { request: { text: 'The hospital installed software that uses machine learning to read x-rays.', labels: NEWS, multi_label: true }, expected: ['health', 'technology'] },
  { request: { text: 'I was billed after I cancelled, and the refund never arrived.', labels: SUPPORT, multi_label: true }, expected: ['billing', 'cancellation'] },
];

export function correct(envelope, expected) {
  const top = envelope?.results?.[0]?.labels?.[0]?.label;
  return Array.isArray(expected) ? expected.includes(top) : top === expected;
}
