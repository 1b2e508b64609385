import { DomainError, forbidden } from './errors.js';
import { type Principal, type PrincipalKind, requireSameTenant, requireScope } from './principal.js';

/**
 * The platform's one entry point for route-level authorisation (decision 0010). The shared HTTP stack
 * calls it for every request before any validation or domain code runs. It decides only from what the
 * catalog declares about the route, so a new route cannot forget it:
 * - the route must be declared (API Gateway's `routeKey`, "METHOD /path/{param}"); unknown: 403;
 * - the caller's kind (`principal` claim) must be one the route declares in `callers`: else 403;
 * - the token must carry one of the route's scopes (as the JWT authorizer already checked): else 403;
 * - a route marked `guestVia: 'platform-pages'` serves only the guest tokens of the platform's own pages
 *   (no `partner_id`, decision 0501): a partner app's guest token gets 403 `PlatformPagesOnly` (decision 0127);
 * - a route with a `{tenant}` path parameter only serves tokens of that tenant: else 404, as if the
 *   tenant did not exist (a `system` token has no tenant and passes where the route admits it).
 * Resource rules (owner, token holder, partner hierarchy) stay with each context's own policy module.
 *
 * The declarations are not imported from the catalog (its modules cost every function ~4.7 M init
 * instructions, decision 0123): a function is handed its own routes' policy as a build-time constant — the
 * entry the bundler generates calls `declareRoutes` with them (infra/aws/bundling.ts); the local invoker
 * calls it with the same list, computed from the same catalog, when it loads the function (infra/local/invoke.ts).
 */
export interface RoutePolicy {
  readonly method: string;
  /** API Gateway path syntax, as in the catalog. */
  readonly path: string;
  readonly callers: readonly PrincipalKind[];
  readonly scopes: readonly string[];
  /**
   * `platform-pages`: a guest must come through the platform's own pages (a guest token without `partner_id`,
   * the portal's client, decision 0501), because the answer spans every partner; an app's token: 403 (decision 0127).
   */
  readonly guestVia?: GuestVia;
}

/** Through which pages a guest may use a route; absent: any guest token (an app's or the platform's pages'). */
export type GuestVia = 'platform-pages';

/** The one answer to a partner app's guest token on a route for the platform's own pages (decision 0127). */
export const platformPagesOnly = () =>
  new DomainError('Forbidden', 'The export, the access overview and the purges span every partner: they are for the guest on the platform’s own pages, not for a partner app', 'PlatformPagesOnly');

const declared = new Map<string, RoutePolicy>();

/** The policy of the routes this function serves; a route key not declared here is refused (fail closed). */
export function declareRoutes(routes: readonly RoutePolicy[]): void {
  for (const { method, path, callers, scopes, guestVia } of routes) {
    declared.set(`${method} ${path}`, { method, path, callers, scopes, ...(guestVia ? { guestVia } : {}) });
  }
}

export function declaredRoute(routeKey: string | undefined): RoutePolicy | undefined {
  return routeKey === undefined ? undefined : declared.get(routeKey);
}

export function enforceRoutePolicy(
  event: { readonly routeKey?: string; readonly pathParameters?: Readonly<Record<string, string | undefined>> | null },
  principal: Principal,
): RoutePolicy {
  const route = declaredRoute(event.routeKey);
  if (!route) throw forbidden('This route is not declared for this function', 'RouteNotDeclared');
  if (!route.callers.includes(principal.kind)) {
    throw forbidden(`This operation is not for principal ${principal.kind}`, 'PrincipalNotAllowed');
  }
  if (route.scopes.length > 0) requireScope(principal, ...route.scopes);
  if (route.guestVia === 'platform-pages' && principal.kind === 'guest' && principal.partnerId !== undefined) throw platformPagesOnly();
  if (route.path.includes('{tenant}')) requireSameTenant(principal, event.pathParameters?.tenant ?? '');
  return route;
}
