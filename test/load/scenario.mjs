// The rate-limit and budget exactness scenario, shared by test/load (inside workerd, through
// SELF.fetch, small) and bench/soak.mjs (against `wrangler dev --local`, bigger). Plain JS so the
// soak can import it from Node without a build step.
//
// Every request of every tenant is sent at once; then each tenant's admitted count is compared
// with what its token bucket allows. A bucket starts full (`burst` tokens) and refills at
// `rpm / 60 000` tokens per millisecond, capped at `burst`; each admission takes one token. So
// over a run whose wall time (first request sent → last response read) is E ms:
//
//     burst ≤ admitted ≤ burst + floor(rpm × E / 60 000)          (when requests ≥ burst)
//
// With rpm = 1 and E < 60 s the two bounds are equal: admitted = burst exactly. Tenants with a
// fast refill get the bound here; test/load checks them exactly with the guard's own clock.
//
// Budgets: admission reserves each request's estimate (its most expensive price) before the
// call and settles the actual cost after it, so at every refusal spent + reserved + estimate >
// cap with spent + reserved ≤ admitted × estimate. Hence
//
//     admitted ≥ floor(cap / estimate)    and    Σ charged cost ≤ cap.

const ADMIN = { authorization: 'Bearer dev-admin-token' };

/** The tenants of one run; `scale` multiplies every request count (1 ≈ 2,100 requests). */
export function planExactness(scale = 1) {
  const tenants = [];
  for (let i = 0; i < 6; i++) {
    const burst = 30 + 10 * i;
    tenants.push({ name: `burst-${i}`, kind: 'secret', keys: 3, limits: { rpm: 1, burst: Math.round(burst * scale) }, requests: Math.round(2.5 * burst * scale) });
  }
  // Refills one token a second; its burst is large enough that it never fills up again mid-run.
  tenants.push({ name: 'refill', kind: 'secret', keys: 2, limits: { rpm: 60, burst: 40 }, requests: Math.round(300 * scale), refill: true });
  // Visitors under a roomy tenant: each visitor stops at its own burst.
  tenants.push({ name: 'visitors', kind: 'publishable', keys: 1, limits: { rpm: 1, burst: 100_000 }, visitorLimits: { rpm: 1, burst: 5 }, visitors: Math.ceil(20 * scale), perVisitor: 12 });
  // More visitors than the tenant's bucket: the tenant stops them all at its burst.
  tenants.push({ name: 'visitors-tenant-capped', kind: 'publishable', keys: 1, limits: { rpm: 1, burst: Math.round(70 * scale) }, visitorLimits: { rpm: 1, burst: 10 }, visitors: Math.ceil(12 * scale), perVisitor: 12 });
  tenants.push({ name: 'budget', kind: 'secret', keys: 2, limits: { rpm: 1_000_000, burst: 1_000_000 }, budgetRequests: Math.round(160 * scale), budgetFits: Math.round(30 * scale) });
  return tenants;
}

const text = (i) => `I really like this product, order ${String(i).padStart(8, '0')}`;
/** Distinct texts of one length: every budget request is a paid miss with the same estimate. */
const uniqueText = () => `I really like this product, order ${crypto.randomUUID()}`;

/**
 * Creates the tenants and their keys through the admin API.
 * `options.budgetEstimateUsd(text)` is the reservation of one budget request; `options.paidProviders`
 * serve the budget tenant's sentiment (a paid provider the server can reach).
 */
export async function setUpExactness(client, plan, options) {
  const ready = [];
  for (const spec of plan) {
    const limits = { ...spec.limits, daily_budget_usd: 1000 };
    let estimate = 0;
    if (spec.budgetRequests) {
      estimate = options.budgetEstimateUsd(uniqueText());
      limits.daily_budget_usd = estimate * (spec.budgetFits + 0.5);
    }
    const tenant = await expectJson(client, 'POST', '/admin/tenants', ADMIN, { name: `load-${spec.name}-${crypto.randomUUID().slice(0, 8)}`, limits }, 201);
    if (spec.budgetRequests) await expectJson(client, 'PUT', `/admin/tenants/${tenant.id}/tasks/sentiment`, ADMIN, { providers: options.paidProviders }, 200);
    const keys = [];
    for (let k = 0; k < spec.keys; k++) {
      const body = spec.kind === 'publishable' ? { kind: 'publishable', origins: ['https://shop.example'], visitor_limits: spec.visitorLimits } : { kind: 'secret' };
      keys.push((await expectJson(client, 'POST', `/admin/tenants/${tenant.id}/keys`, ADMIN, body, 201)).key);
    }
    ready.push({ spec, tenantId: tenant.id, keys, estimate, cap: limits.daily_budget_usd });
  }
  return ready;
}

async function expectJson(client, method, path, headers, body, expected) {
  const res = await client.request(method, path, headers, body);
  if (res.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Every request of every tenant, as { tenant, headers, body, visitor? }. */
function requestsOf(ready) {
  const all = [];
  for (const tenant of ready) {
    const { spec, keys } = tenant;
    const auth = (i) => ({ authorization: `Bearer ${keys[i % keys.length]}` });
    if (spec.visitors) {
      for (let v = 0; v < spec.visitors; v++) {
        const ip = `198.18.${Math.floor(v / 250)}.${(v % 250) + 1}`;
        for (let r = 0; r < spec.perVisitor; r++) all.push({ tenant, visitor: ip, headers: { ...auth(0), origin: 'https://shop.example', 'cf-connecting-ip': ip }, body: { text: text(r % 3) } });
      }
    } else if (spec.budgetRequests) {
      for (let i = 0; i < spec.budgetRequests; i++) all.push({ tenant, headers: auth(i), body: { text: uniqueText() } });
    } else {
      for (let i = 0; i < spec.requests; i++) all.push({ tenant, headers: auth(i), body: { text: text(i % 5) } });
    }
  }
  // Interleave tenants, so every guard is busy at once.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all;
}

/** What a refusal must look like: the one error shape, the right status and code, Retry-After. */
function refusalProblem(res) {
  const error = res.body?.error;
  const expected = res.status === 429 ? ['rate_limit_error', 'rate_limited'] : res.status === 402 ? ['budget_error', 'budget_exhausted'] : null;
  if (!expected) return `unexpected status ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`;
  if (!error || error.type !== expected[0] || error.code !== expected[1] || typeof error.message !== 'string' || typeof error.request_id !== 'string') return `bad error shape: ${JSON.stringify(res.body)}`;
  const retryAfter = res.header('retry-after');
  if (!retryAfter || !/^\d+$/.test(retryAfter) || Number(retryAfter) < 1) return `${res.status} without a valid Retry-After (${retryAfter})`;
  if (res.header('x-request-id') !== error.request_id) return 'request_id differs from x-request-id';
  return null;
}

/**
 * Sends everything at once (at most `concurrency` in flight) and checks each tenant.
 * Returns per-tenant rows ({ name, limit, requests, admitted, refused, expected, ok, why }) and problems.
 */
export async function runExactness(client, ready, { concurrency = Infinity } = {}) {
  const requests = requestsOf(ready);
  const results = new Array(requests.length);
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests.length) }, async () => {
      while (next < requests.length) {
        const i = next++;
        const r = requests[i];
        results[i] = await client.request('POST', '/v1/sentiment', r.headers, r.body);
      }
    }),
  );
  const elapsedMs = Date.now() - started;

  const rows = [];
  const problems = [];
  for (const tenant of ready) {
    const { spec } = tenant;
    const mine = requests.map((r, i) => ({ r, res: results[i] })).filter(({ r }) => r.tenant === tenant);
    const admitted = mine.filter(({ res }) => res.status === 200);
    const refused = mine.filter(({ res }) => res.status !== 200);
    for (const { res } of refused) {
      const problem = refusalProblem(res);
      if (problem) problems.push(`${spec.name}: ${problem}`);
    }
    const row = { name: spec.name, requests: mine.length, admitted: admitted.length, refused: refused.length, elapsedMs };
    if (spec.budgetRequests) {
      const charged = admitted.reduce((sum, { res }) => sum + res.body.usage.cost_usd, 0);
      const fits = Math.floor(tenant.cap / tenant.estimate + 1e-9);
      Object.assign(row, { limit: `$${tenant.cap.toExponential(3)} a day`, expected: `≥ ${fits}; charged $${charged.toExponential(3)} ≤ cap`, charged, ok: admitted.length >= fits && charged <= tenant.cap * (1 + 1e-9), refusedBy: '402' });
      if (refused.some(({ res }) => res.status !== 402)) problems.push(`${spec.name}: a refusal other than 402`);
    } else if (spec.visitors) {
      const perVisitor = new Map();
      for (const { r } of admitted) perVisitor.set(r.visitor, (perVisitor.get(r.visitor) ?? 0) + 1);
      const most = Math.max(0, ...perVisitor.values());
      const total = spec.visitors * spec.perVisitor;
      // The same bounds as a tenant's bucket, per visitor and for the tenant (equal when rpm × E < 60 000).
      const refill = (rpm) => Math.floor((rpm * elapsedMs) / 60_000);
      const lowest = Math.min(spec.limits.burst, spec.visitors * spec.visitorLimits.burst);
      const highest = Math.min(spec.limits.burst + refill(spec.limits.rpm), spec.visitors * (spec.visitorLimits.burst + refill(spec.visitorLimits.rpm)));
      const expected = lowest === highest ? lowest : `${lowest}–${highest}`;
      const byVisitor = refused.filter(({ res }) => /visitor's rate limit/.test(res.body?.error?.message ?? '')).length;
      Object.assign(row, {
        limit: `tenant ${spec.limits.burst}, visitor ${spec.visitorLimits.burst} (${spec.visitors} visitors × ${spec.perVisitor})`,
        expected,
        mostByOneVisitor: most,
        refusedBy: `visitor ${byVisitor}, tenant ${refused.length - byVisitor}`,
        ok: admitted.length >= lowest && admitted.length <= highest && most <= spec.visitorLimits.burst + refill(spec.visitorLimits.rpm) && total === mine.length,
      });
      // Under a roomy tenant every visitor gets exactly its burst (when nothing refilled).
      if (highest < spec.limits.burst && lowest === highest && [...perVisitor.values()].some((n) => n !== spec.visitorLimits.burst)) problems.push(`${spec.name}: a visitor was not admitted exactly its burst`);
    } else {
      const upper = spec.limits.burst + Math.floor((spec.limits.rpm * elapsedMs) / 60_000);
      // A bucket the caller started below full (startTokens) has no lower bound here: test/load
      // checks it exactly from the guard's clock (tokens are conserved).
      const lower = tenant.startTokens === undefined ? spec.limits.burst : 0;
      Object.assign(row, {
        limit: `burst ${spec.limits.burst}, ${spec.limits.rpm} rpm`,
        expected: upper === lower ? lower : `${lower}–${upper}`,
        ok: admitted.length >= lower && admitted.length <= upper,
        refusedBy: '429',
      });
      if (refused.some(({ res }) => res.status !== 429)) problems.push(`${spec.name}: a refusal other than 429`);
    }
    if (!row.ok) problems.push(`${spec.name}: admitted ${row.admitted}, expected ${row.expected}`);
    rows.push(row);
  }
  return { rows, problems, elapsedMs, requests: requests.length };
}

/** The rows as a Markdown table. */
export function exactnessTable(rows) {
  const lines = ['| tenant | limit | requests | admitted | refused | expected admitted | ok |', '|---|---|---:|---:|---:|---|---|'];
  for (const row of rows) lines.push(`| ${row.name} | ${row.limit} | ${row.requests} | ${row.admitted} | ${row.refused} (${row.refusedBy}) | ${row.expected} | ${row.ok ? 'yes' : 'NO'} |`);
  return lines.join('\n');
}
