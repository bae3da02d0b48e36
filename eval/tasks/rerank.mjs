// Search-style queries against small candidate sets, as a retriever would hand them to a reranker:
// one relevant passage per query, the others on nearby topics. Most relevant passages answer in
// the query's own words, as help-centre answers do; 11 of 34 are paraphrases sharing almost no word
// with it, and many distractors share words with the query, so word matching alone cannot win.
export const description = '34 queries over 5 candidate passages each (support, shop, developer docs, HR, travel, health, finance, home)';
export const metric = 'recall@1';

const c = (query, relevant, others) => {
  // Put the relevant passage at a varying position so position bias cannot score.
  const position = (query.length * 7) % (others.length + 1);
  const documents = [...others.slice(0, position), relevant, ...others.slice(position)];
  return { request: { query, documents }, expected: position };
};

export const cases = [
  c('How long does a refund take?', 'Refunds reach your card within 5 to 7 business days after we receive the returned item.', [
    'You can return any item within 30 days of delivery.',
    'Gift cards cannot be refunded or exchanged for cash.',
    'Our support team answers email within one business day.',
    'Take a photo of the damage so we can file a claim with the courier.',
  ]),
  c('reset my password', 'To reset your password, click "Forgot password" on the sign-in page and follow the link we email you.', [
    'Passwords must be at least 12 characters long.',
    'Two-factor authentication adds a second step when you sign in.',
    'You can change the email address on your account under Profile.',
    'We never ask for your password by phone or email.',
  ]),
  c('my parcel never arrived', 'If your delivery is more than five days late, contact us and we will send a replacement or refund the order.', [
    'Parcels are packed in recycled cardboard.',
    'You can track your shipment with the link in the confirmation email.',
    'We ship to 40 countries from our warehouse in Rotterdam.',
    'Large items are delivered by a two-person crew.',
  ]),
  c('can I cancel my subscription anytime', 'You can cancel your subscription at any time from Billing; you keep access until the end of the paid period.', [
    'Subscriptions renew automatically every month.',
    'Annual plans are 20% cheaper than monthly ones.',
    'Team subscriptions can add members at any time.',
    'We accept Visa, Mastercard and PayPal.',
  ]),
  c('is the jacket waterproof', 'The jacket is fully waterproof: its three-layer membrane keeps rain out during a full day of hiking.', [
    'The jacket comes in five colours and sizes XS to XXL.',
    'Machine wash the jacket at 30 degrees and hang it to dry.',
    'Our waterproof boots are resoled for free in the first year.',
    'The jacket has two zipped hand pockets and one chest pocket.',
  ]),
  c('which laptop has the longest battery life', 'The Air 13 has the longest battery life in our range: up to 18 hours of video on one charge.', [
    'The Pro 16 has the fastest processor in our range.',
    'All laptops ship with a 65 W USB-C charger.',
    'Battery replacement is covered for two years.',
    'The Book 14 weighs only 1.1 kg.',
  ]),
  c('how do I install the CLI', 'Install the CLI with npm install -g minnow-cli, then run minnow login to connect it to your account.', [
    'The CLI prints its version with --version.',
    'Uninstall the previous version before upgrading on Windows.',
    'The command line interface supports bash and zsh completion.',
    'Our REST API is documented at /docs.',
  ]),
  c('rate limit exceeded error', 'A 429 response means you sent too many requests; wait for the number of seconds in Retry-After and try again.', [
    'Each plan has a monthly request limit shown on the dashboard.',
    'Errors are returned as JSON with a code and a message.',
    'A 401 error means the API key is missing or wrong.',
    'You can raise your limits by contacting sales.',
  ]),
  c('how do I rotate an API key', 'To rotate a key, create a second API key, deploy it to your services, then revoke the old one.', [
    'API keys start with sk_ and are shown only once.',
    'Publishable keys can be used in the browser from allowed origins.',
    'Revoked keys stop working within seconds.',
    'Each key can be limited to certain tasks.',
  ]),
  c('webhook signature verification', 'To verify a webhook, compute the HMAC-SHA256 signature of the raw body with your secret and compare it with the X-Signature header.', [
    'Webhooks are retried up to eight times with exponential backoff.',
    'You can replay failed deliveries from the dashboard.',
    'Add a webhook URL under Settings, Integrations.',
    'Deliveries time out after ten seconds.',
  ]),
  c('how many vacation days do I get', 'Full-time employees receive 25 days of paid annual leave, plus public holidays.', [
    'Vacation requests must be approved by your manager.',
    'Unused days can be carried over until March.',
    'Sick leave does not count against your holiday allowance.',
    'The office is closed between Christmas and New Year.',
  ]),
  c('when is payday', 'Salaries are paid on the last working day of each month.', [
    'Expense claims are reimbursed with the next payroll run.',
    'Your payslip is available in the HR portal.',
    'Bonuses are paid once a year in April.',
    'Tax forms are sent out in January.',
  ]),
  c('can I work from home', 'Staff may work remotely up to three days a week by agreement with their team lead.', [
    'The office opens at 8 am and closes at 7 pm.',
    'Home office equipment can be ordered through the IT portal.',
    'Working hours are flexible between 7 am and 8 pm.',
    'Meeting rooms can be booked in the calendar.',
  ]),
  c('baggage allowance for international flights', 'The baggage allowance on international flights is one checked suitcase of up to 23 kg in economy.', [
    'International flights board 45 minutes before departure.',
    'Hand luggage must fit in the overhead bin.',
    'Flights can be changed online up to 24 hours before departure.',
    'Pets travel in the cabin on short flights only.',
  ]),
  c('what time is check-in at the hotel', 'Check-in at the hotel starts at 3 pm; early arrival is possible on request.', [
    'Check-out is at 11 am.',
    'The hotel has a rooftop pool and a spa.',
    'Breakfast is served from 7 to 10 am.',
    'Parking at the hotel costs 20 euros per night.',
  ]),
  c('do I need a visa for Japan', 'Citizens of most EU countries do not need a visa for Japan for stays of up to 90 days.', [
    'Japan uses type A power plugs at 100 volts.',
    'The rail pass must be bought before you travel.',
    'Tipping is not customary in Japan.',
    'Your passport must be valid for the whole stay.',
  ]),
  c('symptoms of dehydration', 'Feeling thirsty, dark yellow urine, dizziness and a dry mouth are signs that your body lacks fluids.', [
    'Adults should drink about two litres of water a day.',
    'Sports drinks contain sugar and salts.',
    'A fever is a temperature above 38 degrees.',
    'Dehydrated fruit is a healthy snack.',
  ]),
  c('how to lower blood pressure', 'To lower blood pressure, eat less salt, exercise regularly and lose excess weight.', [
    'Blood pressure is measured in millimetres of mercury.',
    'A normal resting heart rate is 60 to 100 beats per minute.',
    'Blood tests are done in the morning before breakfast.',
    'Low blood pressure can make you feel faint.',
  ]),
  c('is ibuprofen safe during pregnancy', 'Pregnant women should avoid anti-inflammatory painkillers, especially in the last trimester; paracetamol is usually preferred.', [
    'Ibuprofen should be taken with food.',
    'The usual adult dose of ibuprofen is 200 to 400 mg.',
    'Folic acid is recommended before and during pregnancy.',
    'Store all medicines out of reach of children.',
  ]),
  c('what is a good credit score', 'Lenders consider a credit score above 700 good, and above 800 excellent.', [
    'You can check your credit report for free once a year.',
    'A credit card is a form of revolving credit.',
    'Late payments stay on your report for six years.',
    'Credit unions are owned by their members.',
  ]),
  c('how do index funds work', 'A passive fund buys every stock in a market benchmark, so its return follows that benchmark at a very low fee.', [
    'Funds are priced once a day after the market closes.',
    'An index of consumer prices measures inflation.',
    'Active managers try to beat the market by picking stocks.',
    'Dividends can be paid out or reinvested.',
  ]),
  c('when are taxes due', 'Annual tax returns are due by 31 July of the following year.', [
    'Taxes on savings interest are withheld by the bank.',
    'You can deduct work-related travel expenses.',
    'Married couples may file jointly.',
    'The tax office sends a notice after processing your return.',
  ]),
  c('my dishwasher leaves dishes wet', 'If your dishwasher leaves dishes wet, refill the rinse aid: without it water stays on plates and glasses.', [
    'Load plates facing the centre of the dishwasher.',
    'The dishwasher uses 9 litres of water per cycle.',
    'Clean the filter once a month.',
    'Do not put wooden boards in the dishwasher.',
  ]),
  c('how to fix a dripping tap', 'A leaking faucet usually needs a new washer: turn off the water, unscrew the handle and replace the worn rubber ring.', [
    'Hot water taps are marked with a red dot.',
    'Limescale can be removed from taps with vinegar.',
    'A tap aerator saves water.',
    'Call a plumber if a pipe bursts.',
  ]),
  c('how often should I water tomatoes', 'Water tomato plants deeply two or three times a week, more often in hot weather.', [
    'Tomatoes need at least six hours of sun.',
    'Pinch out side shoots as the plant grows.',
    'Water lilies grow in still ponds.',
    'Harvest tomatoes when they are fully red.',
  ]),
  c('best temperature to bake bread', 'Bake bread in a hot oven at about 220 degrees; that temperature gives the best crust.', [
    'Let the dough rise until it has doubled in size.',
    'Store bread in a cloth bag, not in the fridge.',
    'Sourdough needs a starter fed with flour and water.',
    'The best flour for cakes is low in protein.',
  ]),
  c('the app crashes on startup', 'If the application closes as soon as you open it, update to the latest version and restart your phone.', [
    'The app starts with a short tutorial.',
    'You can start a free trial from the app store.',
    'The app is available in twelve languages.',
    'Crash reports are sent anonymously if you allow it.',
  ]),
  c('I was charged twice', 'If you were charged twice, the duplicate payment is reversed automatically within three days.', [
    'We charge your card when the order ships.',
    'Prices include VAT.',
    'You can pay in three instalments with Klarna.',
    'Charging cables are sold separately.',
  ]),
  c('talk to a human', 'You can reach a support agent by phone from 9 to 5 on weekdays, or ask the assistant to hand you over.', [
    'Our chatbot answers common questions instantly.',
    'Humans have been using tools for two million years.',
    'Check the help centre for guides and videos.',
    'Leave us a review after your conversation.',
  ]),
  c('how do I delete my account', 'To delete your account, go to Settings, Privacy and choose "Close account"; your data is erased after 30 days.', [
    'You can download a copy of your data at any time.',
    'Accounts without activity for two years receive a reminder.',
    'Delete old messages by swiping left.',
    'An account can have up to five profiles.',
  ]),
  c('the screen is cracked', 'A cracked screen is repaired in our service centre; the fix costs 89 euros outside warranty.', [
    'The screen brightness adjusts automatically.',
    'Clean the screen with a soft, dry cloth.',
    'Screen time limits can be set for children.',
    'A case protects the phone from scratches.',
  ]),
  c('does the hotel allow dogs', 'Dogs are welcome at the hotel for a fee of 15 euros per night; please tell us when you book.', [
    'The hotel is a five-minute walk from the beach.',
    'Hot dogs and burgers are served at the pool bar.',
    'Children under six stay for free.',
    'Smoking is not allowed in the rooms.',
  ]),
  c('can I bring my own food on the plane', 'You can bring your own food on the plane in hand luggage; liquids over 100 ml are not allowed through security.', [
    'Meals are included on flights longer than three hours.',
    'The plane has 180 seats in a three-three layout.',
    'Special meals must be ordered 48 hours in advance.',
    'You can bring one personal item on board.',
  ]),
  c('what does the warranty cover', 'The warranty covers manufacturing defects for two years; accidental damage is not covered.', [
    'Register your product to receive updates.',
    'The warranty card is inside the box.',
    'Extended cover can be bought within 30 days.',
    'Keep your receipt as proof of purchase.',
  ]),
];

/** recall@1: the best-ranked document is the relevant one. */
export function correct(envelope, expected) {
  return envelope.results[0]?.index === expected;
}
