/**
 * Hono answers a known path with the wrong method as "not found"; this finds the methods that
 * path does allow, so the caller gets 405 with `Allow` instead of a misleading 404. Matched exactly
 * as the router does: `/v1/sentiment/` is no route for any method (its 404 names `/v1/sentiment`),
 * so it never answers 405 with an `Allow` naming a method that path would refuse too.
 */
export function methodNotAllowed(routes: { method: string; path: string }[], path: string, method: string): string[] | undefined {
  const allowed = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    if (routePattern(route.path).test(path)) allowed.add(route.method);
  }
  allowed.delete(method);
  return allowed.size > 0 ? [...allowed].sort() : undefined;
}

/** A route path as the router matches it: `:name` is one segment, `:name{re}` is `re` (it may span segments). */
function routePattern(path: string): RegExp {
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  let source = '';
  let at = 0;
  for (const param of path.matchAll(/:[A-Za-z_]\w*(?:\{([^}]*)\})?/g)) {
    source += escape(path.slice(at, param.index)) + (param[1] === undefined ? '[^/]+' : `(?:${param[1]})`);
    at = param.index + param[0].length;
  }
  return new RegExp(`^${source}${escape(path.slice(at))}$`);
}
