// Entity extraction, local tier: every expected pattern entity (type + exact text) is found, at
// offsets that slice exactly that text out of the input. The local tier claims emails, URLs,
// phone numbers, money, dates, times, durations, percentages, numbers, ordinals, hashtags,
// mentions and emoji — not names, so names in these texts are not expected.

export const description = 'Entities (local rules): all expected typed spans found with exact UTF-16 offsets';
export const metric = 'accuracy';

// `expected` repeats the text so that correct() can check the offsets against it.
const c = (text, entities) => ({ request: { text }, expected: { text, entities } });

export const cases = [
  c('Reach our support team at help@shop-example.com or call (415) 555-0132.', [['email', 'help@shop-example.com'], ['phone', '(415) 555-0132']]),
  c('Your order #4821 ships on March 3, 2025 and costs $149.99.', [['date', 'March 3, 2025'], ['money', '$149.99']]),
  c('Meeting moved to 4:15pm tomorrow 🙏', [['time', '4:15pm'], ['emoji', '🙏']]),
  c('Loving the new release!! 🚀🔥 #launchday @devteam', [['emoji', '🚀'], ['emoji', '🔥'], ['hashtag', '#launchday'], ['mention', '@devteam']]),
  c('Docs are at https://docs.example.com/v2/getting-started.', [['url', 'https://docs.example.com/v2/getting-started']]),
  c('Prices rose 12% last quarter.', [['percent', '12%']]),
  c('She finished third out of 40 runners.', [['ordinal', 'third'], ['number', '40']]),
  c('The warranty lasts 2 years from purchase.', [['duration', '2 years']]),
  c('Écrivez à josé.garcía@correo.es avant vendredi.', [['email', 'josé.garcía@correo.es']]),
  c('Appelez le +33 1 42 68 53 00 pour réserver.', [['phone', '+33 1 42 68 53 00']]),
  c('Ticket für €25 gekauft 🎟️ — see www.example.de/tickets', [['money', '€25'], ['emoji', '🎟️'], ['url', 'www.example.de/tickets']]),
  c('👨‍👩‍👧‍👦 family plan costs £12 per month', [['emoji', '👨‍👩‍👧‍👦'], ['money', '£12']]),
  c('Flight lands at 07:45 on 2025-06-14 in 🇯🇵', [['time', '07:45'], ['date', '2025-06-14'], ['emoji', '🇯🇵']]),
  c('UK office: +44 20 7946 0958, US office: +1 212 555 0199.', [['phone', '+44 20 7946 0958'], ['phone', '+1 212 555 0199']]),
  c('Thanks @maria_l for the fix 👍🏽', [['mention', '@maria_l'], ['emoji', '👍🏽']]),
  c('Refund of $1,250.00 was issued on 5th January.', [['money', '$1,250.00'], ['date', '5th January']]),
  c('Write to billing@example.org — not to noreply@example.org.', [['email', 'billing@example.org'], ['email', 'noreply@example.org']]),
  c('Down 3.5% since Monday, the index closed at 4,512.', [['percent', '3.5%'], ['date', 'Monday']]),
  c('I waited 45 minutes on hold :(', [['duration', '45 minutes'], ['emoticon', ':(']]),
  c('Café Müller opens at 8am ☕ on weekdays', [['time', '8am'], ['emoji', '☕']]),
  c('Send the files to jürgen@müller.de by Friday.', [['email', 'jürgen@müller.de'], ['date', 'Friday']]),
  c('The population grew to 10 000 000 people.', [['number', '10 000 000']]),
  c('Call 0800 123 4567 (free) or text 07700 900123.', [['phone', '0800 123 4567'], ['phone', '07700 900123']]),
  c('Our 2nd anniversary sale: 30% off everything! #sale', [['ordinal', '2nd'], ['percent', '30%'], ['hashtag', '#sale']]),
  c('Status page: http://status.example.io (updated every 5 minutes)', [['url', 'http://status.example.io'], ['duration', '5 minutes']]),
  c('¡Feliz cumpleaños! 🎂🎉 Nos vemos el 12 de mayo.', [['emoji', '🎂'], ['emoji', '🎉']]),
  c('Budget approved: ¥300000 for Q3.', [['money', '¥300000']]),
  c('Contact Ms. O’Neil at oneil@law-firm.co.uk regarding case 2291.', [['email', 'oneil@law-firm.co.uk'], ['number', '2291']]),
  c('❤️ this place, 10/10 would come back', [['emoji', '❤️']]),
  c('The event runs from 9:00 to 17:30 on Saturday.', [['time', '9:00'], ['time', '17:30'], ['date', 'Saturday']]),
  c('Naïve question: does the 3-day trial need a card? Ask @support 🙂', [['mention', '@support'], ['emoji', '🙂']]),
  c('Paid $20 via paypal.me/janedoe 💸', [['money', '$20'], ['emoji', '💸']]),
];

export function correct(envelope, expected) {
  const found = envelope?.results?.[0]?.entities ?? [];
  return expected.entities.every(([type, value]) =>
    found.some((entity) => entity.type === type && entity.text === value && expected.text.slice(entity.start, entity.end) === value),
  );
}
