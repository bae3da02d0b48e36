/** A lone UTF-16 surrogate: in `u` mode a proper pair is one astral code point and does not match. */
const UNPAIRED = /\p{Cs}/u;

type Step = { value: unknown; key: string; parent: Step | undefined };

const pathOf = (step: Step): string => {
  const keys: string[] = [];
  for (let at: Step | undefined = step; at?.parent; at = at.parent) keys.unshift(at.key);
  return keys.join('.');
};

/** Why a part of a JSON body is refused before any route sees it. */
export type RefusedPart = { path: string; problem: 'unpaired_surrogate' | 'prototype_key' };

/**
 * The first part of a parsed JSON body that is refused, or undefined:
 * - a string or key holding an unpaired surrogate (JSON allows `"\ud800"`): such text cannot be
 *   stored or sent on as UTF-8, D1 and upstreams would silently turn it into U+FFFD, so what is
 *   stored would differ from what was acknowledged;
 * - a `"__proto__"` key: JSON.parse keeps it as an ordinary key, but validation (zod) and any object
 *   it is copied into drop it silently, so metadata would lose a field and a search filter
 *   `{"__proto__": …}` would match everything. Other names (`constructor`, `toString`) are kept
 *   as ordinary keys.
 * Iterative, so a 100,000-deep body cannot overflow the stack.
 */
export function refusedPartOf(body: unknown): RefusedPart | undefined {
  const stack: Step[] = [{ value: body, key: '', parent: undefined }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (typeof step.value === 'string') {
      if (UNPAIRED.test(step.value)) return { path: pathOf(step), problem: 'unpaired_surrogate' };
    } else if (step.value !== null && typeof step.value === 'object') {
      for (const [key, value] of Object.entries(step.value)) {
        const child = { value, key, parent: step };
        if (UNPAIRED.test(key)) return { path: pathOf(child), problem: 'unpaired_surrogate' };
        if (key === '__proto__') return { path: pathOf(child), problem: 'prototype_key' };
        stack.push(child);
      }
    }
  }
  return undefined;
}
