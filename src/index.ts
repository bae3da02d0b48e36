import { createApp } from './app';
import type { Bindings } from './env';
import { consumeUsage } from './usage/consumer';
import type { UsageEvent } from './usage/event';

export { FlightCoordinator } from './durable-objects/flight-coordinator';
export { TenantGuard } from './durable-objects/tenant-guard';

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<UsageEvent>, env: Bindings): Promise<void> {
    await consumeUsage(batch, env);
  },
} satisfies ExportedHandler<Bindings, UsageEvent>;
