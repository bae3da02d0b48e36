import type { D1Migration } from 'cloudflare:test';
import type { Bindings } from '../src/contracts/env';

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      TEST_MIGRATIONS: D1Migration[];
      WEBHOOK_RECEIVER_URL: string;
      AI_CONTROL: { callsFor(text: string, model?: string): Promise<number> };
      VECTORS_CONTROL: { countInNamespace(namespace: string): Promise<number> };
    }
  }
}
