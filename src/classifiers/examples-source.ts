import type { Example } from '../lib/text-classifier/train';

/**
 * Where a classifier version's training examples come from. The trainer (training.ts) reads
 * only this, so a source other than the request body plugs in without touching it.
 *
 * Today there is one: the examples the tenant sent (`requestExamples`). The next, from the cost
 * engine's roadmap (issue 14), is the tenant's own paid answers: every classify request that
 * escalated to a neural model returned a label minnow paid for; a source that reads those
 * (text, top label, score ≥ a floor) from the tenant's history would let a classifier retrain on
 * what the cascade already bought, so the next such text stays local and free. Such a source
 * must return the same shape, already bounded (≤ MAX_TRAINING_EXAMPLES) and tenant-scoped, and
 * the same validation (validateExamples) applies to it.
 */
export interface ExamplesSource {
  /** Says where the examples came from, in logs and errors ("request", "paid-answers"). */
  readonly kind: string;
  examples(): Promise<Example[]>;
}

/** The examples in the request body (already validated). */
export const requestExamples = (examples: Example[]): ExamplesSource => ({ kind: 'request', examples: async () => examples });
