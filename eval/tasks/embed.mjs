// Intent matching with embeddings, the way a bot routes a message: embed the user's message and
// the descriptions of five intents in one batch; the nearest description (cosine) must be the
// right intent. Intents of one case come from the same product, so they share vocabulary.
export const description = '32 user messages routed to 1 of 5 same-domain intent descriptions by nearest embedding';
export const metric = 'accuracy';

const c = (message, intents, expectedIntent) => ({ request: { text: [message, ...intents] }, expected: expectedIntent + 1 });

const banking = ['Check the balance of an account', 'Block a lost or stolen card', 'Send money to another person', 'Dispute a transaction on a statement', 'Apply for a loan or mortgage'];
const telecom = ['Report no signal or a network outage', 'Upgrade or change a mobile plan', 'Questions about a bill or extra charges', 'Set up roaming for travel abroad', 'Port a number to another provider'];
const food = ['Order is late or has not arrived', 'Items missing or wrong in the order', 'Change the delivery address', 'Cancel an order', 'Allergy and ingredient information'];
const home = ['Turn lights on or off', 'Set the thermostat temperature', 'Lock or unlock the front door', 'Play music on the speakers', 'Show the security camera feed'];
const travel = ['Book a flight', 'Change or cancel a booking', 'Add checked baggage', 'Choose a seat on the plane', 'Ask about a delayed flight'];
const fitness = ['Log a workout', 'Track calories and meals', 'Set a step goal', 'Record sleep', 'Connect a heart rate monitor'];

export const cases = [
  c('how much money do I have left', banking, 0),
  c('someone stole my wallet with my visa in it', banking, 1),
  c('I need to pay my friend back 50 euros', banking, 2),
  c("there's a payment on my card I didn't make", banking, 3),
  c('can I borrow money to buy a house', banking, 4),
  c('my phone has had zero bars all morning', telecom, 0),
  c('I want more data every month', telecom, 1),
  c('why is my invoice so high this month', telecom, 2),
  c("I'm going to Spain next week, will my phone work there", telecom, 3),
  c('I am switching to another company but want to keep my number', telecom, 4),
  c('my pizza should have been here an hour ago', food, 0),
  c('they forgot the fries in my bag', food, 1),
  c('please send it to my office instead of home', food, 2),
  c("I don't want the food anymore", food, 3),
  c('does the curry contain peanuts', food, 4),
  c('it is too dark in the living room', home, 0),
  c("I'm freezing, make it warmer", home, 1),
  c('did I leave the house open', home, 2),
  c('put on some jazz in the kitchen', home, 3),
  c('who is at the door right now, let me see', home, 4),
  c('I need a ticket to Lisbon on Friday', travel, 0),
  c('can I move my trip to next month', travel, 1),
  c('I have a big suitcase to bring', travel, 2),
  c('I would like to sit by the window', travel, 3),
  c('my departure keeps getting pushed back', travel, 4),
  c('just finished a 5 km run', fitness, 0),
  c('I had a salad and a sandwich for lunch', fitness, 1),
  c('I want to walk 10000 steps a day', fitness, 2),
  c('I went to bed at 11 and woke up at 7', fitness, 3),
  c('pair my chest strap with the app', fitness, 4),
  c('turn off the bedroom lamp', home, 0),
  c('what is my current account balance', banking, 0),
];

const cosine = (a, b) => {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
};

/** The message's nearest intent description is the expected one (text index `expected`). */
export function correct(envelope, expected) {
  const [message, ...intents] = envelope.results.map((result) => result.embedding);
  const scores = intents.map((intent) => cosine(message, intent));
  return scores.indexOf(Math.max(...scores)) + 1 === expected;
}
