import { call, json } from '../support/api';

export const HELP_DOCS = [
  {
    title: 'Refund policy',
    url: 'https://help.example.com/refunds',
    text: 'Refunds are paid back to the original card within 5 business days. To ask for a refund, open your order and choose "Return items". Refunds for gift cards are not possible.',
  },
  {
    title: 'Shipping times',
    url: 'https://help.example.com/shipping',
    text: 'Standard shipping takes 3 to 5 days within the country. Express shipping arrives the next business day when ordered before 2 pm. International parcels take up to 14 days.',
  },
  {
    title: 'Password reset',
    text: 'To reset your password, click "Forgot password" on the sign-in page. A reset link is e-mailed to you and stays valid for one hour.',
  },
];

/** A knowledge base holding `docs` (local embeddings by default: free, offline, deterministic). */
export async function createKnowledgeBase(auth: Record<string, string>, docs: { title: string; text: string; url?: string }[] = HELP_DOCS, embedding = 'local'): Promise<{ id: string; documents: string[] }> {
  const created = await call('/v1/kb', { headers: auth, body: { name: `help ${crypto.randomUUID()}`, embedding } });
  const kb = await json(created);
  if (created.status !== 201) throw new Error(`creating a knowledge base failed: ${JSON.stringify(kb)}`);
  const documents: string[] = [];
  for (const doc of docs) {
    const response = await call(`/v1/kb/${kb.id}/documents`, { headers: auth, body: doc });
    const body = await json(response);
    if (response.status >= 300 || body.status !== 'ready') throw new Error(`adding a document failed: ${JSON.stringify(body)}`);
    documents.push(body.id);
  }
  return { id: kb.id, documents };
}

export async function createBot(auth: Record<string, string>, body: Record<string, unknown>): Promise<any> {
  const response = await call('/v1/bots', { headers: auth, body: { name: 'Help bot', instructions: 'Answer questions about Acme orders.', ...body } });
  const bot = await json(response);
  if (response.status !== 201) throw new Error(`creating a bot failed: ${JSON.stringify(bot)}`);
  return bot;
}

export const chat = (auth: Record<string, string>, body: Record<string, unknown>) => call('/v1/chat', { headers: auth, body });

export interface SseEvent {
  event: string | null;
  data: any;
}

/** Every event of a Server-Sent Events response, in order (`data` parsed as JSON when it is). */
export async function readEvents(response: Response): Promise<SseEvent[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? null;
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      try {
        return { event, data: JSON.parse(data) };
      } catch {
        return { event, data };
      }
    });
}

export { eventually } from '../support/api';

/** A tenant with a help-center knowledge base and a bot over it. */
export async function tenantWithBot(bot: Record<string, unknown> = {}) {
  const { createTenant } = await import('../support/api');
  const tenant = await createTenant();
  const kb = await createKnowledgeBase(tenant.auth);
  const created = await createBot(tenant.auth, { knowledge_bases: [kb.id], ...bot });
  return { tenant, kb, bot: created };
}
