/**
 * For a 404: the route a mistyped path most likely meant (`/v1/sentiments` → `POST /v1/sentiment`,
 * `/sentiment` → `POST /v1/sentiment`), by edit distance per path segment; a `:param` segment
 * matches any value. Nothing is suggested when no route is close, so a wild guess never misleads.
 */
export interface RouteLike {
  method: string;
  path: string;
}

/** Paths longer than this (or with more segments) get no suggestion: the work stays bounded. */
const MAX_PATH = 200;
const MAX_SEGMENTS = 8;

/** Levenshtein distance, case-insensitive (inputs are short: at most MAX_PATH characters). */
function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

const segmentsOf = (path: string) => path.replace(/\/+$/, '').split('/').filter(Boolean);

/** Edits between the request's segments and a route's (same count only); fixed characters compared. */
function distance(requested: string[], template: string[]): { edits: number; size: number } | undefined {
  if (requested.length !== template.length) return undefined;
  let edits = 0;
  let size = 0;
  for (let i = 0; i < template.length; i++) {
    const part = template[i]!;
    if (part.startsWith(':')) continue;
    edits += editDistance(requested[i]!, part);
    size += part.length;
  }
  return { edits, size };
}

export function closestRoute(routes: RouteLike[], path: string, method: string): RouteLike | undefined {
  if (path.length > MAX_PATH) return undefined;
  const requested = segmentsOf(path);
  if (requested.length === 0 || requested.length > MAX_SEGMENTS) return undefined;
  // A path without the version prefix is also compared as if it had it, for one more edit.
  const forms = [{ segments: requested, extra: 0 }, ...(requested[0]?.toLowerCase() !== 'v1' ? [{ segments: ['v1', ...requested], extra: 1 }] : [])];
  let best: { route: RouteLike; edits: number; sameMethod: boolean } | undefined;
  for (const route of routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const template = segmentsOf(route.path);
    for (const form of forms) {
      const measured = distance(form.segments, template);
      if (!measured || measured.size === 0) continue;
      const edits = measured.edits + form.extra;
      // Close: at most 3 edits, and at most a third of the fixed characters compared.
      if (edits > 3 || edits * 3 > measured.size) continue;
      const sameMethod = route.method === method;
      if (!best || edits < best.edits || (edits === best.edits && sameMethod && !best.sameMethod)) best = { route, edits, sameMethod };
    }
  }
  return best?.route;
}

/** The 404's message: the route it most likely meant, else where the routes are listed. */
export function notFoundMessage(routes: RouteLike[], path: string, method: string): string {
  const shown = path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path;
  const closest = closestRoute(routes, path, method);
  return closest
    ? `No route ${method} ${shown}; did you mean ${closest.method} ${closest.path}?`
    : `No route ${method} ${shown}; every route is listed at /docs and /openapi.json`;
}
