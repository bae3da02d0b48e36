import { MAX_ALTERNATIVES, UNDETERMINED, type LanguageResult } from './schema';

/**
 * eld's per-language scores are n-gram averages (the top one typically 0.5–0.9, languages of one
 * script close together), not probabilities: they become a softmax over the candidates with this
 * temperature. On the eval set plus a dev set (85 texts), right answers averaged 0.94 and wrong
 * ones 0.63 with it (0.84 / 0.59 at 0.05, which left clear Russian at 0.35 against bg/uk).
 */
export const SCORE_TEMPERATURE = 0.02;
/** eld flags detections on too little evidence as unreliable; their scores are halved. */
export const UNRELIABLE_FACTOR = 0.5;

export interface Detection {
  language: string;
  scores: Record<string, number>;
  reliable: boolean;
}

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;

/** eld's answer → minnow's: "und" with score 0 when eld found no language. */
export function fromDetection(detection: Detection): LanguageResult {
  const ranked = Object.entries(detection.scores)
    .filter(([, score]) => Number.isFinite(score))
    .sort((a, b) => b[1] - a[1]);
  if (!detection.language || ranked.length === 0) return { language: UNDETERMINED, score: 0, alternatives: [] };
  const top = ranked[0]![1];
  const weights = ranked.map(([, score]) => Math.exp((score - top) / SCORE_TEMPERATURE));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const factor = detection.reliable ? 1 : UNRELIABLE_FACTOR;
  const scored = ranked.map(([language], index) => ({ language, score: round((weights[index]! / total) * factor) }));
  const best = scored.find((entry) => entry.language === detection.language) ?? scored[0]!;
  return {
    language: best.language,
    score: best.score,
    alternatives: scored.filter((entry) => entry !== best).slice(0, MAX_ALTERNATIVES),
  };
}
