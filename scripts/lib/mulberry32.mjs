/**
 * mulberry32: a tiny seeded PRNG, uniform in [0, 1) — the benches' workloads and the evals' draws
 * are the same on every run. (The Worker's trainer keeps its own copy in src/lib/text-classifier:
 * Worker code does not import scripts.)
 */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
