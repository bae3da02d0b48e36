// Types for scenario.mjs (shared by test/load and bench/soak.mjs).
export interface LoadClient {
  request(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; header(name: string): string | null; body: any }>;
}

export interface TenantSpec {
  name: string;
  kind: 'secret' | 'publishable';
  keys: number;
  limits: { rpm: number; burst: number };
  requests?: number;
  refill?: boolean;
  visitorLimits?: { rpm: number; burst: number };
  visitors?: number;
  perVisitor?: number;
  budgetRequests?: number;
  budgetFits?: number;
}

export interface ReadyTenant {
  spec: TenantSpec;
  tenantId: string;
  keys: string[];
  estimate: number;
  cap: number;
  /** Set when the caller started the bucket below full. */
  startTokens?: number;
}

export interface ExactnessRow {
  name: string;
  limit: string;
  requests: number;
  admitted: number;
  refused: number;
  expected: number | string;
  refusedBy: string;
  ok: boolean;
  charged?: number;
  mostByOneVisitor?: number;
  elapsedMs: number;
}

export function planExactness(scale?: number): TenantSpec[];
export function setUpExactness(client: LoadClient, plan: TenantSpec[], options: { budgetEstimateUsd(text: string): number; paidProviders: string[] }): Promise<ReadyTenant[]>;
export function runExactness(client: LoadClient, ready: ReadyTenant[], options?: { concurrency?: number }): Promise<{ rows: ExactnessRow[]; problems: string[]; elapsedMs: number; requests: number }>;
export function exactnessTable(rows: ExactnessRow[]): string;
