// Short product reviews and support messages, hand-labelled; a third are neutral or mixed on
// purpose, because that is where a lexicon model is weakest.
export const description = '45 hand-labelled reviews and support messages (15 positive, 15 negative, 15 neutral)';
export const metric = 'accuracy';

const positive = [
  'The battery lasts two full days, I am impressed.',
  'Support fixed my issue in ten minutes. Great service!',
  'Honestly the best headphones I have owned.',
  'Arrived early and works perfectly.',
  'Lovely fabric, fits well, would buy again.',
  'The new dashboard is so much easier to use, thank you!',
  'Five stars. Setup took a minute.',
  'I was skeptical but this blender is fantastic.',
  'Very helpful staff and a clean store.',
  'Great value for the price.',
  'The update made the app fast and smooth, nice work.',
  'Delighted with the quality, it feels solid.',
  'Thanks for the quick refund, really appreciate it.',
  'My kids love it and use it every day.',
  'Excellent documentation, everything just worked.',
];
const negative = [
  'It broke after two days. Total waste of money.',
  'Still no reply from support after a week. Awful.',
  'The screen scratches way too easily, disappointed.',
  'Package arrived damaged and the box was soaked.',
  'Terrible fit, the seams came apart on first wash.',
  'This update ruined the app, it crashes constantly.',
  'I hate how loud the fan is.',
  'Worst customer service I have ever dealt with.',
  'The charger stopped working and they refused a refund.',
  'Overpriced and slow. Would not recommend.',
  'Stop charging my card twice, this is unacceptable.',
  'The instructions are useless and parts were missing.',
  'Very poor quality, the handle snapped.',
  'Delivery was three weeks late and nobody told me why.',
  'I am angry that my order was cancelled without notice.',
];
const neutral = [
  'The package arrived on Tuesday.',
  'What are your opening hours on Sunday?',
  'I ordered the blue one in size M.',
  'Please send the invoice to my work address.',
  'The manual is available in English and German.',
  'Can I change the delivery address after ordering?',
  'My order number is 48213.',
  'The device has two USB ports and one HDMI port.',
  'I will be travelling next week.',
  'Is this model compatible with the 2022 version?',
  'The meeting was moved to 3 pm.',
  'It comes in black, white and grey.',
  'I updated the app this morning.',
  'Where can I find the return form?',
  'The store is next to the train station.',
];

export const cases = [
  ...positive.map((text) => ({ request: { text }, expected: 'positive' })),
  ...negative.map((text) => ({ request: { text }, expected: 'negative' })),
  ...neutral.map((text) => ({ request: { text }, expected: 'neutral' })),
];

export function correct(envelope, expected) {
  return envelope.results[0].label === expected;
}
