import { catalog } from '../../infra/catalog/index.js';
import type { RouteDefinition } from '../../infra/catalog/types.js';
import { forbidden } from './errors.js';
import { type Principal, requireSameTenant, requireScope } from './principal.js';

/**
 * The platform's one entry point for route-level authorisation (decision 0010). The shared HTTP stack
 * calls it for every request before any validation or domain code runs. It decides only from what the
 * catalog declares about the route, so a new route cannot forget it:
 * - the route must be in the catalog (API Gateway's `routeKey`, "METHOD /path/{param}"); unknown: 403;
 * - the caller's kind (`principal` claim) must be one the route declares in `callers`: else 403;
 * - the token must carry one of the route's scopes (as the JWT authorizer already checked): else 403;
 * - a route with a `{tenant}` path parameter only serves tokens of that tenant: else 404, as if the
 *   tenant did not exist (a `system` token has no tenant and passes where the route admits it).
 * Resource rules (owner, token holder, partner hierarchy) stay with each context's own policy module.
 */
const routes = new Map<string, RouteDefinition>(catalog.routes.map((route) => [`${route.method} ${route.path}`, route]));

export function declaredRoute(routeKey: string | undefined): RouteDefinition | undefined {
  return routeKey === undefined ? undefined : routes.get(routeKey);
}

export function enforceRoutePolicy(
  event: { readonly routeKey?: string; readonly pathParameters?: Readonly<Record<string, string | undefined>> | null },
  principal: Principal,
): RouteDefinition {
  const route = declaredRoute(event.routeKey);
  if (!route) throw forbidden('This route is not declared in the catalog', 'RouteNotDeclared');
  if (!route.callers.includes(principal.kind)) {
    throw forbidden(`This operation is not for principal ${principal.kind}`, 'PrincipalNotAllowed');
  }
  if (route.scopes.length > 0) requireScope(principal, ...route.scopes);
  if (route.path.includes('{tenant}')) requireSameTenant(principal, event.pathParameters?.tenant ?? '');
  return route;
}
