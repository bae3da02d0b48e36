/** One metered request, as sent on the USAGE queue and stored in D1 `usage_events`. */
export interface UsageEvent {
  request_id: string;
  tenant_id: string;
  key_id: string;
  task: string;
  model: string;
  provider: string;
  cache_status: 'HIT' | 'MISS' | 'PARTIAL' | 'COALESCED';
  /** With a cascade: the providers that answered, in order ("local", "local,workers-ai"); else null. */
  cascade_step: string | null;
  items: number;
  cached_items: number;
  units: number;
  cost_usd: number;
  /** What calling the task's default neural model for every item would have cost. */
  baseline_cost_usd: number;
  neurons: number;
  latency_ms: number;
  created_at: string;
}
