import type { Bindings } from '../contracts/env';
import { huggingFaceActive } from './huggingface/transport';
import { PROVIDER_IDS, type ProviderId } from '../contracts/provider-ids';
import { workersAiActive } from './workers-ai/transport';

export interface ProviderStatus {
  id: ProviderId;
  active: boolean;
  detail: string;
}

export function providerStatus(env: Bindings, id: ProviderId): ProviderStatus {
  if (id === 'workers-ai') return { id, ...workersAiActive(env) };
  if (id === 'huggingface') return { id, ...huggingFaceActive(env) };
  return { id, active: true, detail: 'embedded in the Worker, works offline' };
}

export function allProviderStatuses(env: Bindings): ProviderStatus[] {
  return PROVIDER_IDS.map((id) => providerStatus(env, id));
}
