import type { TaskName } from '../../contracts/task-names';

/** One ready-to-run body per task: what the playground shows first (and its browser test sends). */
export const PLAYGROUND_EXAMPLES: Record<TaskName, Record<string, unknown>> = {
  sentiment: { text: ['I love how easy this was!', 'The delivery was late and the box was damaged.'] },
  classify: { text: 'I was charged twice for my subscription this month.', labels: ['billing', 'shipping', 'technical issue', 'account'] },
  entities: { text: 'Email press@example.com before 12 March 2026 about the $40 refund, or call +1 415 555 0100.' },
  language: { text: ['Bonjour tout le monde', 'Wie spät ist es?', 'Where is my order?'] },
  embed: { text: 'How do I reset my password?' },
  similarity: { source: 'How do I reset my password?', targets: ['I forgot my password and cannot log in', 'Where is my parcel?'] },
  rerank: { query: 'how long does shipping take', documents: ['Returns are free for 30 days.', 'Orders ship within two business days.', 'We accept Visa and Mastercard.'] },
  answer: { question: 'How long do returns stay free?', context: 'Orders ship within two business days. Returns are free for 30 days after delivery. Gift cards cannot be refunded.' },
  moderate: { text: ['Thanks, that fixed it!', 'Send it to jane.doe@example.com, card 4111 1111 1111 1111.'] },
  summarize: {
    text: 'The new release makes search twice as fast by caching embeddings at the edge. It also adds a chat widget that answers from your help centre and cites its sources. Pricing is unchanged, and existing keys keep working. The old search endpoint will be retired next year, with a migration guide published this week.',
    max_words: 30,
  },
  translate: { text: 'Where is the train station?', target: 'fr' },
};
