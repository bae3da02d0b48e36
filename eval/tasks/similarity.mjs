// Duplicate-question detection, the way a help desk or forum uses similarity: is this new
// question one we already have? Each source has exactly one paraphrase among four targets; the
// other three are about the same product or topic and share its key words. About half of the
// paraphrases keep a key word of the source; the rest share none (the hard, common case).
export const description = '32 duplicate-question checks: one paraphrase among 4 targets on the same topic';
export const metric = 'recall@1';

const c = (source, paraphrase, others) => {
  const position = (source.length * 5) % (others.length + 1);
  const targets = [...others.slice(0, position), paraphrase, ...others.slice(position)];
  return { request: { source, targets }, expected: position };
};

export const cases = [
  c('How can I track my order?', 'Where can I see the shipping status of my order?', ['How can I cancel my order?', 'Can I add an item to an order I already placed?', 'How do I order by phone?']),
  c('Why was my card declined?', 'My card payment did not go through, what is wrong?', ['Which cards do you accept?', 'How do I remove a saved card?', 'Can I pay with a gift card?']),
  c('Do you ship to Canada?', 'Can I get deliveries sent to Toronto?', ['How much does shipping to the US cost?', 'Do you have a store in Canada?', 'How long does shipping take?']),
  c('How do I change my delivery address?', 'I moved, how can I update the address my packages are delivered to?', ['What is your return address?', 'Can I have my order delivered to a pickup point?', 'Why is my address not recognised?']),
  c('Is there a student discount?', 'Do you offer discounts for university students?', ['How do I apply a discount code?', 'Are there discounts on Black Friday?', 'Can students get a free trial?']),
  c('How do I export my data to Excel?', 'Can I download my records as a spreadsheet?', ['Can I import data from Excel?', 'Why is my export empty?', 'How big can an export file be?']),
  c('The website is very slow today', 'Pages on the website are taking forever to load right now', ['Why is the website down?', 'How do I speed up my computer?', 'The app is slow on my old phone']),
  c('How do I add a new user to my team?', 'How can I invite a colleague to our workspace?', ['How do I remove a user from my team?', 'How many users can a team have?', 'Can a user belong to two teams?']),
  c('Can I use the software offline?', 'Does the software work without an internet connection?', ['Why does the software say I am offline?', 'How do I install the software on a second computer?', 'Does the software work on Linux?']),
  c('How do I turn on dark mode?', 'Is there a night theme for the interface?', ['How do I turn off notifications?', 'Can I change the font size?', 'Why does the screen go dark after a minute?']),
  c('What is the capital of Australia?', 'Which city is the seat of the Australian government?', ['What is the largest city in Australia?', 'What is the capital of Austria?', 'When did Australia become independent?']),
  c('How many calories are in a banana?', 'How much energy is in one banana?', ['How much potassium is in a banana?', 'Are bananas good for dogs?', 'How many calories are in an apple?']),
  c('How do I get rid of hiccups?', 'What stops hiccups quickly?', ['What causes hiccups?', 'Can babies get hiccups?', 'How do I get rid of a cough?']),
  c('Why is the sky blue?', 'What makes the daytime sky look blue?', ['Why is the sea blue?', 'Why are sunsets red?', 'What colour is the sky on Mars?']),
  c('How long should I boil an egg?', 'How many minutes does a soft-boiled egg need?', ['How long can eggs stay in the fridge?', 'How do I poach an egg?', 'Should I boil water before adding pasta?']),
  c('What is the best way to learn a language?', 'How can I become fluent in a foreign language quickly?', ['What is the hardest language to learn?', 'How many languages are spoken in India?', 'What is the best programming language to learn?']),
  c('How do I stop my dog from barking?', 'My dog barks all the time, how do I make it quiet?', ['Why does my dog eat grass?', 'How often should I walk my dog?', 'How do I stop my cat from scratching furniture?']),
  c('Can I freeze cooked rice?', 'Is it safe to put leftover rice in the freezer?', ['How do I cook rice without a rice cooker?', 'Can I freeze cooked pasta?', 'How long does cooked rice last in the fridge?']),
  c('How do I fall asleep faster?', 'What helps with trouble getting to sleep?', ['How many hours of sleep do adults need?', 'Why do I wake up at 3 am?', 'Is it bad to sleep with the lights on?']),
  c('What should I wear to a job interview?', 'How should I dress for an interview?', ['What questions are asked in a job interview?', 'How do I follow up after an interview?', 'What should I wear to a wedding?']),
  c('How do I ask for a raise?', 'What is the best way to negotiate a higher salary with my boss?', ['How much is the average salary for a nurse?', 'How do I tell my boss I am quitting?', 'When do companies usually give raises?']),
  c('How can I save money on groceries?', 'Tips for spending less money at the supermarket?', ['Which supermarket is the cheapest?', 'How do I save money on electricity?', 'What groceries should I buy for a week?']),
  c('Is it cheaper to rent or buy a house?', 'Does buying a home cost less than renting in the long run?', ['How do I rent out my house?', 'How much deposit do I need to buy a house?', 'Is it cheaper to rent a car or take a taxi?']),
  c('How do I remove a red wine stain?', 'What gets a red wine stain out of a carpet?', ['How do I store red wine?', 'How do I remove a coffee stain from a shirt?', 'Which red wine goes with steak?']),
  c('My phone battery drains quickly', 'Why does my phone battery run out so fast?', ['How do I replace my phone battery?', 'Is it bad to charge my phone overnight?', 'My laptop battery is not charging']),
  c('How do I unclog a sink?', 'What can I do when the kitchen drain is blocked?', ['How do I clean a stainless steel sink?', 'How do I install a new sink?', 'Why does my sink smell?']),
  c('What are the symptoms of the flu?', 'How do I know if I have influenza?', ['How long does the flu last?', 'Is the flu vaccine safe?', 'What are the symptoms of a cold?']),
  c('How do I start running?', 'What is a good beginner plan for jogging?', ['How do I start a business?', 'What are the best running shoes?', 'Is running bad for your knees?']),
  c('When does the store open on Sunday?', 'What are your opening hours on Sunday?', ['Is the store open on public holidays?', 'Where is the nearest store?', 'When does the sale start?']),
  c('Can I return an item without a receipt?', 'Is a proof of purchase needed to send something back?', ['How do I print a return label?', 'Can I return an item bought on sale?', 'Where can I find my receipt online?']),
  c('How do I connect my printer to wifi?', 'How do I set up the printer on my wireless network?', ['Why is my printer printing blank pages?', 'How do I connect my laptop to wifi?', 'Which printer ink is compatible?']),
  c('Is the museum free on Sundays?', 'Do you have free entry at the weekend?', ['How long does it take to see the museum?', 'Is the museum wheelchair accessible?', 'Can I take photos in the museum?']),
];

/** recall@1: the highest-scoring target is the paraphrase. */
export function correct(envelope, expected) {
  const scores = envelope.results.map((result) => result.score);
  return scores.indexOf(Math.max(...scores)) === expected;
}
