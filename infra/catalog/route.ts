import type { PrincipalKind } from '../../shared/platform/principal.js';
import type { GuestVia } from '../../shared/platform/route-policy.js';
import type { Access, HttpMethod, RouteDefinition } from './types.js';

/** Who may call a route and what its function may touch: the part of a route each context decides per route. */
export interface RoutePolicy {
  /** The token needs at least one of these; empty: any valid token (decision 0010). */
  readonly scopes: readonly string[];
  readonly callers: readonly PrincipalKind[];
  /** `platform-pages`: a partner app's guest token is refused (403 `PlatformPagesOnly`, decision 0127). */
  readonly guestVia?: GuestVia;
  readonly access: readonly Access[];
}

/**
 * The one way every catalog file declares its routes: a context's builder puts paths below its base and
 * finds handlers in `functions/<dir>/<file>.ts`; each route then names id, method, path, file and policy.
 */
export function routeBuilder(context: { readonly base: string; readonly functions: string }) {
  return (id: string, method: HttpMethod, path: string, file: string, policy: RoutePolicy): RouteDefinition => ({
    id,
    method,
    path: `${context.base}${path}`,
    handler: `functions/${context.functions}/${file}.ts`,
    scopes: policy.scopes,
    callers: policy.callers,
    ...(policy.guestVia ? { guestVia: policy.guestVia } : {}),
    access: policy.access,
  });
}
