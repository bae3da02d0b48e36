import { z } from 'zod';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { moderationResult, type ModerateResult } from './schema';

/** Llama Guard 3's hazard taxonomy (MLCommons), S-code → minnow's category name. */
export const LLAMA_GUARD_CATEGORIES: Readonly<Record<string, string>> = {
  S1: 'violent_crimes',
  S2: 'non_violent_crimes',
  S3: 'sex_related_crimes',
  S4: 'child_sexual_exploitation',
  S5: 'defamation',
  S6: 'specialized_advice',
  S7: 'privacy',
  S8: 'intellectual_property',
  S9: 'indiscriminate_weapons',
  S10: 'hate',
  S11: 'suicide_self_harm',
  S12: 'sexual_content',
  S13: 'elections',
  S14: 'code_interpreter_abuse',
};
/** "unsafe" with no category named: still flagged, under this name. */
export const UNSPECIFIED_CATEGORY = 'unspecified';

const verdictObject = z.object({ safe: z.boolean(), categories: z.array(z.string()).optional() });
const guardOutput = z.object({ response: z.union([z.string(), verdictObject]) });

const categoryName = (code: string) => LLAMA_GUARD_CATEGORIES[code.toUpperCase()] ?? code.toLowerCase();

function verdict(safe: boolean, codes: string[]): ModerateResult {
  if (safe) return { flagged: false, categories: [] };
  const names = codes.length > 0 ? codes.map(categoryName) : [UNSPECIFIED_CATEGORY];
  // Llama Guard names categories without probabilities: each named one scores 1.
  return moderationResult(names.map((category) => ({ category, score: 1 })));
}

/**
 * Reads Llama Guard 3's verdict in either form the binding returns: the object
 * `{safe, categories: ["S1", …]}` (JSON mode) or the model's text, "safe" or "unsafe\nS1,S10".
 */
export function parseLlamaGuard(raw: unknown): ModerateResult {
  const parsed = guardOutput.safeParse(raw);
  if (!parsed.success) throw malformedUpstreamResponse('workers-ai', 'expected {response: {safe, categories} | "safe" | "unsafe\\nS…"}');
  const { response } = parsed.data;
  if (typeof response !== 'string') return verdict(response.safe, response.categories ?? []);
  const text = response.trim();
  const first = text.split(/\s+/)[0]?.toLowerCase();
  if (first === 'safe') return verdict(true, []);
  if (first === 'unsafe') return verdict(false, text.match(/\bS\d{1,2}\b/gi) ?? []);
  throw malformedUpstreamResponse('workers-ai', `Llama Guard answered neither safe nor unsafe: ${text.slice(0, 60)}`);
}
