/** A lone UTF-16 surrogate: in `u` mode a proper pair is one astral code point and does not match. */
const UNPAIRED = /\p{Cs}/u;

type Step = { value: unknown; key: string; parent: Step | undefined };

const pathOf = (step: Step): string => {
  const keys: string[] = [];
  for (let at: Step | undefined = step; at?.parent; at = at.parent) keys.unshift(at.key);
  return keys.join('.');
};

/**
 * The dotted path of the first string or key holding an unpaired surrogate (JSON allows `"\ud800"`),
 * or undefined. Such text cannot be stored or sent on as UTF-8: D1 and upstreams would silently
 * turn it into U+FFFD, so what is stored would differ from what was acknowledged.
 * Iterative, so a 100,000-deep body cannot overflow the stack.
 */
export function unpairedSurrogateAt(body: unknown): string | undefined {
  const stack: Step[] = [{ value: body, key: '', parent: undefined }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (typeof step.value === 'string') {
      if (UNPAIRED.test(step.value)) return pathOf(step);
    } else if (step.value !== null && typeof step.value === 'object') {
      for (const [key, value] of Object.entries(step.value)) {
        const child = { value, key, parent: step };
        if (UNPAIRED.test(key)) return pathOf(child);
        stack.push(child);
      }
    }
  }
  return undefined;
}
