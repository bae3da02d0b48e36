// The demo help centre `npm start` seeds for the demo tenant: a knowledge base and a support bot
// with fixed ids (so the example site and the playground can name them), and a few documents
// added through the API once the Worker is up — re-adding them on every start is free, since an
// unchanged document is recognised and not embedded again.
export const DEMO_KB = { id: 'kb_demo_help_centre', name: 'Acme help centre (demo)' };
export const DEMO_BOT = {
  id: 'bot_demo_support',
  name: 'Acme support (demo)',
  instructions: 'You answer questions from Acme Mugs customers about orders, shipping, returns and care of their mugs. Be brief and friendly.',
  escalation: { keywords: ['chargeback', 'lawyer'], min_retrieval_score: null, on_request_for_human: true, on_negative_sentiment: 0.9 },
};

const DOCUMENTS = [
  {
    title: 'Shipping times',
    url: 'https://acme-mugs.example/help/shipping',
    text: 'Standard shipping takes three to seven business days within the EU. Express shipping arrives the next business day if you order before 2 pm. We ship to the EU, the UK and Switzerland; orders to the UK and Switzerland may be charged import duties on delivery. Every parcel is tracked: the tracking link is in your shipping confirmation email.',
  },
  {
    title: 'Returns and refunds',
    url: 'https://acme-mugs.example/help/returns',
    text: 'You can return any unused mug within 30 days of delivery. Start a return from your order page; we email you a prepaid label. Refunds are issued to your original payment method within five business days after the return reaches our warehouse. Gift cards and personalised mugs cannot be returned or refunded.',
  },
  {
    title: 'Caring for your mug',
    url: 'https://acme-mugs.example/help/care',
    format: 'markdown',
    text: '# Caring for your mug\n\nAll Acme mugs are **dishwasher safe** on the top rack.\n\n- Stoneware mugs are microwave safe.\n- Mugs with a gold or silver rim must **not** go in the microwave.\n- Avoid sudden temperature changes: do not pour boiling water into a mug straight from the freezer.',
  },
  {
    title: 'Damaged or wrong items',
    url: 'https://acme-mugs.example/help/damaged',
    text: 'If your mug arrives chipped or broken, send us a photo within 14 days of delivery and we send a replacement at no cost; you do not need to return the damaged mug. If you received the wrong item, we send the right one and a prepaid label for the wrong one.',
  },
];

/** Adds the demo documents to the demo knowledge base (201 the first time, 200 unchanged after). */
export async function seedDemoDocuments(base, secretKey) {
  for (const document of DOCUMENTS) {
    const response = await fetch(`${base}/v1/kb/${DEMO_KB.id}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'text', ...document }),
    });
    if (!response.ok) throw new Error(`adding "${document.title}" failed: ${response.status} ${await response.text()}`);
  }
}
