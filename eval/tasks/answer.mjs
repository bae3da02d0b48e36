// Extractive QA over short documents of different kinds (policies, manuals, encyclopedia-style
// passages, release notes, recipes, support answers). The local tier returns a whole sentence, so
// a case is correct when the returned span contains the gold answer and is exactly
// context.slice(start, end). About a third of the questions paraphrase the context rather than
// repeat its words, which is where word overlap alone fails.
export const description = '36 questions over 10 hand-written documents; correct = returned sentence contains the gold answer';
export const metric = 'accuracy';

const RETURNS =
  'You can return most items within 30 days of delivery for a full refund. Items must be unused and in their original packaging. ' +
  'Refunds are issued to the original payment method within 5 business days of us receiving the return. ' +
  'Sale items and gift cards cannot be returned. To start a return, open your order history and choose "Return item". ' +
  'Return shipping is free for members; everyone else pays a flat fee of $4.95.';

const THERMOSTAT =
  'The T200 thermostat runs on two AA batteries, which last about a year. When the battery icon blinks, replace both batteries at once. ' +
  'To reset the thermostat to factory settings, hold the MODE and DOWN buttons together for ten seconds. ' +
  'The display shows the room temperature in Celsius by default; you can switch to Fahrenheit in the settings menu. ' +
  'The device connects to your home network over 2.4 GHz Wi-Fi only.';

const ELEPHANTS =
  'African elephants are the largest land animals on Earth. Adult males can weigh up to six tonnes. ' +
  'They live in herds led by the oldest female, called the matriarch. ' +
  'An elephant eats up to 150 kilograms of vegetation a day and spends most of its waking hours feeding. ' +
  'Their pregnancies last about 22 months, the longest of any mammal. Poaching for ivory remains the main threat to the species.';

const RELEASE =
  'Version 4.2 of the Atlas app was released on 3 March 2025. It adds an offline mode that keeps the last 30 days of maps on the device. ' +
  'Dark mode now follows the system setting automatically. The export feature, previously limited to PDF, can now produce CSV files. ' +
  'Support for Android 9 has been dropped; the app now requires Android 10 or later. A bug that drained the battery during navigation was fixed.';

const BREAD =
  'Mix 500 grams of flour with 10 grams of salt and 7 grams of dried yeast. Add 350 millilitres of warm water and knead for ten minutes until smooth. ' +
  'Leave the dough to rise in a warm place for about an hour, until it has doubled in size. ' +
  'Shape it into a loaf, then bake at 220 degrees Celsius for 30 minutes. The bread is done when it sounds hollow when tapped underneath.';

const CITY =
  'Ljubljana is the capital and largest city of Slovenia. About 290,000 people live there. ' +
  'The Ljubljanica river flows through the old town, which is closed to cars. ' +
  'The castle on the hill above the centre dates from the 11th century and can be reached by funicular. ' +
  'In 2016 the city was named the European Green Capital.';

const LEAVE =
  'Full-time employees receive 25 days of paid holiday per year, plus public holidays. ' +
  'Up to five unused days can be carried over into the next year; the rest expire on 31 December. ' +
  'Holiday requests must be approved by your line manager at least two weeks in advance. ' +
  'Part-time staff receive holiday in proportion to their contracted hours. Sick leave is recorded separately and does not reduce your holiday allowance.';

const VOLCANO =
  'Mount Vesuvius is a volcano on the Gulf of Naples in Italy. Its eruption in 79 AD buried the Roman towns of Pompeii and Herculaneum under ash. ' +
  'The last eruption took place in 1944, during the Second World War. ' +
  'Around three million people live close enough to be at risk, which makes it one of the most dangerous volcanoes in the world. ' +
  'The volcano is monitored constantly by the Vesuvius Observatory, founded in 1841.';

const ACCOUNT =
  'If you forget your password, click "Forgot password" on the sign-in page and we will email you a reset link. ' +
  'The link expires after 60 minutes. Two-factor authentication can be turned on under Security in your profile. ' +
  'Accounts that are inactive for two years are deleted, after a warning email sent 30 days before. ' +
  'To change the email address on your account, contact our support team from the address you currently use.';

const COFFEE =
  'Coffee plants grow best at altitudes between 1,000 and 2,000 metres in tropical regions. ' +
  'The two main species are arabica, prized for its flavour, and robusta, which contains almost twice as much caffeine. ' +
  'Brazil has been the largest producer for more than 150 years. ' +
  'After harvesting, the cherries are either dried in the sun or washed to remove the fruit before the beans are roasted.';

const q = (context, question, answer) => ({ request: { question, context }, expected: { answer, context } });

export const cases = [
  q(RETURNS, 'How long do I have to return an item?', '30 days'),
  q(RETURNS, 'When will I get my money back?', 'within 5 business days'),
  q(RETURNS, 'Can I send back a gift card?', 'gift cards cannot be returned'),
  q(RETURNS, 'How much does return postage cost if I am not a member?', '$4.95'),
  q(THERMOSTAT, 'What kind of batteries does the T200 use?', 'two AA batteries'),
  q(THERMOSTAT, 'How do I restore the factory settings?', 'hold the MODE and DOWN buttons'),
  q(THERMOSTAT, 'Can it display Fahrenheit?', 'switch to Fahrenheit'),
  q(THERMOSTAT, 'Does it work with 5 GHz networks?', '2.4 GHz Wi-Fi only'),
  q(ELEPHANTS, 'How heavy can a male elephant get?', 'six tonnes'),
  q(ELEPHANTS, 'Who leads an elephant herd?', 'oldest female'),
  q(ELEPHANTS, 'How much food does an elephant need each day?', '150 kilograms'),
  q(ELEPHANTS, 'How long is an elephant pregnant?', '22 months'),
  q(ELEPHANTS, 'What is the biggest danger to elephants?', 'Poaching'),
  q(RELEASE, 'When did version 4.2 come out?', '3 March 2025'),
  q(RELEASE, 'Which Android version is now the minimum?', 'Android 10'),
  q(RELEASE, 'What new file format can I export to?', 'CSV'),
  q(RELEASE, 'Was the battery problem solved?', 'drained the battery'),
  q(BREAD, 'How much flour is needed?', '500 grams'),
  q(BREAD, 'At what temperature should the loaf be baked?', '220 degrees'),
  q(BREAD, 'How can I tell the bread is ready?', 'sounds hollow'),
  q(BREAD, 'How long should the dough prove?', 'about an hour'),
  q(CITY, 'What is the population of Ljubljana?', '290,000'),
  q(CITY, 'How old is the castle?', '11th century'),
  q(CITY, 'Which award did the city win in 2016?', 'European Green Capital'),
  q(LEAVE, 'How many vacation days do full-time staff get?', '25 days'),
  q(LEAVE, 'Can I keep unused holiday for next year?', 'five unused days'),
  q(LEAVE, 'Who has to approve time off?', 'line manager'),
  q(LEAVE, 'Does being ill use up my holiday?', 'does not reduce your holiday'),
  q(VOLCANO, 'Which towns were destroyed in 79 AD?', 'Pompeii and Herculaneum'),
  q(VOLCANO, 'When did Vesuvius last erupt?', '1944'),
  q(VOLCANO, 'How many people live near the volcano?', 'three million'),
  q(VOLCANO, 'Who keeps watch over the volcano?', 'Vesuvius Observatory'),
  q(ACCOUNT, 'How long is the password reset link valid?', '60 minutes'),
  q(ACCOUNT, 'Where can I enable two-factor authentication?', 'Security in your profile'),
  q(ACCOUNT, 'What happens to accounts nobody uses?', 'deleted'),
  q(COFFEE, 'Which coffee species has more caffeine?', 'robusta'),
];

export function correct(envelope, expected) {
  const [result] = envelope.results;
  if (expected.context.slice(result.start, result.end) !== result.answer) return false;
  return result.answer.toLowerCase().includes(expected.answer.toLowerCase());
}
