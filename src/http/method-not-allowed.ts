/**
 * Hono answers a known path with the wrong method as "not found"; this finds the methods that
 * path does allow, so the caller gets 405 with `Allow` instead of a misleading 404.
 */
export function methodNotAllowed(routes: { method: string; path: string }[], path: string, method: string): string[] | undefined {
  const allowed = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const pattern = new RegExp(`^${route.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]\w*/g, '[^/]+')}/?$`);
    if (pattern.test(path)) allowed.add(route.method);
  }
  allowed.delete(method);
  return allowed.size > 0 ? [...allowed].sort() : undefined;
}
