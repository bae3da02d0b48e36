/**
 * The local tier's answers change with minnow's code, not with a model name: a release that makes
 * them better (a calibration, the similarity contrast detector) must not keep serving the old ones
 * from the cache for the rest of their TTL. Cache keys of plans that start on the local tier carry
 * this revision; bump it whenever a change alters what the local tier answers for the same input.
 * Its answers are free to recompute, so a bump costs only CPU.
 */
export const LOCAL_TIER_REVISION = '2026-12-03.8';
