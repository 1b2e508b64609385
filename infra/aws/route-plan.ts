import type { HttpMethod, RouteDefinition } from '../catalog/types.js';

/** One API Gateway route; it may stand for several catalog routes (see `planRoutes`). */
export interface RoutePlan {
  /** Construct id: the id of the catalog route without trailing slash, if there is one. */
  readonly id: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly handler: string;
  readonly scopes: readonly string[];
  /** The catalog routes this API Gateway route serves. */
  readonly catalogIds: readonly string[];
}

/** `/v2/partners/` -> `/v2/partners`; the root `/` stays. */
export function withoutTrailingSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/**
 * HTTP API route keys cannot end with `/` (CloudFormation rejects them), while the catalog may list
 * `/x/` next to `/x` so the local gateway accepts both spellings. Both collapse into the `/x` route;
 * they must then agree on handler and scopes, or the catalog asks for something API Gateway cannot do.
 */
export function planRoutes(routes: readonly RouteDefinition[]): RoutePlan[] {
  const byKey = new Map<string, RouteDefinition[]>();
  for (const route of routes) {
    const key = `${route.method} ${withoutTrailingSlash(route.path)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), route]);
  }
  return [...byKey.values()].map((group) => {
    const canonical = group.find((route) => route.path === withoutTrailingSlash(route.path)) ?? group[0];
    const scopes = [...canonical.scopes].sort().join(' ');
    for (const other of group) {
      if (other.handler !== canonical.handler || [...other.scopes].sort().join(' ') !== scopes) {
        throw new Error(
          `Routes ${canonical.id} and ${other.id} become the same API Gateway route ` +
            `${canonical.method} ${withoutTrailingSlash(canonical.path)} but differ in handler or scopes`,
        );
      }
    }
    return {
      id: canonical.id,
      method: canonical.method,
      path: withoutTrailingSlash(canonical.path),
      handler: canonical.handler,
      scopes: canonical.scopes,
      catalogIds: group.map((route) => route.id),
    };
  });
}
