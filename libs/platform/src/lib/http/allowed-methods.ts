import { METHODS } from 'node:http';

/** The part of an Express 5 request this module reads. */
export interface RoutedRequest {
  method: string;
  path?: string;
  app?: { router?: { stack?: RouterLayer[] } };
}

interface RouterLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * When no route has the request's method on its path but some route has another: the methods
 * the path does answer, for a 405 with `Allow` (RFC 9110) instead of a 404 that says the
 * resource does not exist. Empty when no route has that path (404 is right) or when one has
 * this method (its handler answered 404: the route exists, the thing does not). HEAD is
 * allowed wherever GET is (Express answers it). Routes for every method (`app.all()`: Nest
 * mounts middleware that way, on `{/*splat}`) say nothing about the path and are skipped.
 */
export function methodsAllowedInstead(req: RoutedRequest): string[] {
  if (req.path === undefined) return [];
  const path = req.path;
  const methods = new Set<string>();
  for (const layer of req.app?.router?.stack ?? []) {
    if (!layer.route || forEveryMethod(layer.route.methods) || !layer.match(path)) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (!on) continue;
      methods.add(method.toUpperCase());
      if (method === 'get') methods.add('HEAD');
    }
  }
  return methods.has(req.method.toUpperCase()) ? [] : [...methods].sort();
}

function forEveryMethod(methods: Record<string, boolean>): boolean {
  return methods['_all'] === true || METHODS.every((m) => methods[m.toLowerCase()] === true);
}
