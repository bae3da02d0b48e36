import type { Fixture } from './fixture';
import type { Route } from './routes';

/**
 * A valid body per route, to mutate one leaf at a time: the documented example where there is
 * one, with real ids swapped in; these overrides where the example is missing or names ids.
 * A new route without either still gets the random-body properties, from an empty template.
 */
export function templateFor(route: Route, ids: Fixture['ids']): unknown {
  switch (`${route.method} ${route.path}`) {
    case 'POST /v1/answer':
      return { question: 'When does it open?', context: 'The shop opens at 9 am and closes at 5 pm.' };
    case 'POST /v1/bots':
      return { ...(route.example as object), knowledge_bases: [ids.kb] };
    case 'PATCH /v1/bots/:id':
      return { name: 'Renamed bot', topics: ['orders'], knowledge_bases: [ids.kb] };
    case 'POST /v1/chat':
      return { bot: ids.bot, message: 'How long do refunds take?', conversation_id: ids.conversation };
    case 'POST /v1/chat/completions':
      // Streamed, so hostile text also goes through the SSE path (/v1/chat covers the JSON one).
      return { model: ids.bot, messages: [{ role: 'user', content: 'How long do refunds take?' }], stream: true };
    case 'PATCH /v1/webhooks/:id':
      return { name: 'renamed', events: ['budget.soft_limit'] };
    case 'POST /hooks/:hookId':
      return { ticket: { description: 'The parcel never arrived', tags: ['shipping'] } };
    case 'PUT /admin/tenants/:id/tasks/:task':
      return { providers: ['local'] };
    case 'PATCH /admin/keys/:id':
      return { origins: ['https://site.example'], visitor_limits: { rpm: 10, burst: 5 } };
    case 'POST /admin/tenants':
    case 'PATCH /admin/tenants/:id':
      return { name: 'A tenant', limits: { rpm: 100 } };
    case 'POST /admin/tenants/:id/keys':
      return { kind: 'publishable', origins: ['https://site.example'] };
    default:
      return route.example ?? {};
  }
}
