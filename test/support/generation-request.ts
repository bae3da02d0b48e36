import type { GenerationRequest } from '../../src/providers/chat-types';

const SYSTEM = 'You are Help.\n\n<sources>\n<source id="1" title="Refunds">\nRefunds take 5 days. Gift cards are final.\n</source>\n</sources>';

/** A one-turn generation request over one small source, for the chat providers' tests. */
export const generationRequest = (question: string): GenerationRequest => ({
  messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: question }],
  max_tokens: 64,
  question,
  sources: [{ index: 1, title: 'Refunds', text: 'Refunds take 5 days. Gift cards are final.' }],
});
