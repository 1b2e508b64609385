import { planFunctions, routePoliciesOf } from '../../../infra/aws/function-plan.js';
import { catalog } from '../../../infra/catalog/index.js';
import type { Principal, PrincipalKind } from '../../../shared/platform/principal.js';
import { declaredRoute, declareRoutes, enforceRoutePolicy } from '../../../shared/platform/route-policy.js';
import { CONSENT_MANAGE, CONSENT_VIEW, DATA_READ, PARTNER_SCOPES } from '../../../shared/platform/scopes.js';

const principal = (kind: PrincipalKind, scopes: string[], tenant: string | undefined = 'shop'): Principal => ({
  kind, sub: 'x', tenant: kind === 'system' ? undefined : tenant, scopes: new Set(scopes),
});
const outcome = (routeKey: string | undefined, who: Principal, pathParameters: Record<string, string> = {}) => {
  try {
    enforceRoutePolicy({ routeKey, pathParameters }, who);
    return 'allowed';
  } catch (error) {
    return (error as Error).name;
  }
};
const CONSENT = [CONSENT_VIEW, CONSENT_MANAGE];
const revoke = 'PUT /profile-consent/v1/{tenant}/consents/{ref}/classes/{consentClass}';

describe('the route policy decides from the catalog before any handler code', () => {
  it('knows only the routes its function declared (its build-time constant, decision 0123): another function\'s route is refused', () => {
    declareRoutes(routePoliciesOf(catalog, 'functions/consent/put-class-consents.ts'));
    expect(outcome(revoke, principal('guest', CONSENT), { tenant: 'shop' })).toBe('allowed');
    expect(outcome('PUT /admin/v1/tenants/{tenant}', principal('system', []), { tenant: 'shop' })).toBe('RouteNotDeclared');
  });

  it('knows every route of the catalog, with its callers and scopes, once every function declared its own', () => {
    for (const plan of planFunctions(catalog)) declareRoutes(routePoliciesOf(catalog, plan.handler));
    for (const route of catalog.routes) {
      expect(declaredRoute(`${route.method} ${route.path}`)).toEqual({ method: route.method, path: route.path, callers: route.callers, scopes: route.scopes });
    }
  });

  it('refuses a route the catalog does not declare (fail closed)', () => {
    expect(outcome('PUT /things/{id}', principal('system', []))).toBe('RouteNotDeclared');
    expect(outcome(undefined, principal('system', []))).toBe('RouteNotDeclared');
  });

  it('refuses caller kinds the route does not declare, whatever their scopes', () => {
    expect(outcome(revoke, principal('system', CONSENT), { tenant: 'shop' })).toBe('PrincipalNotAllowed');
    expect(outcome(revoke, principal('partner', CONSENT), { tenant: 'shop' })).toBe('PrincipalNotAllowed');
    expect(outcome('PUT /admin/v1/tenants/{tenant}', principal('tenant', CONSENT), { tenant: 'shop' })).toBe('PrincipalNotAllowed');
    expect(outcome('GET /v2/partner/{partnerId}', principal('guest', [PARTNER_SCOPES.lesen]), { partnerId: 'ABC12' })).toBe('PrincipalNotAllowed');
  });

  it('refuses a token of another tenant on a {tenant} route as not found', () => {
    expect(outcome(revoke, principal('tenant', CONSENT, 'other'), { tenant: 'shop' })).toBe('TenantNotFound');
    expect(outcome(revoke, principal('guest', CONSENT, 'other'), { tenant: 'shop' })).toBe('TenantNotFound');
    expect(outcome(revoke, principal('tenant', CONSENT), { tenant: 'shop' })).toBe('allowed');
  });

  it('checks the scopes again', () => {
    expect(outcome(revoke, principal('guest', [DATA_READ]), { tenant: 'shop' })).toBe('MissingScope');
    expect(outcome('PUT /profile/v1/partnerdata/{name}', principal('guest', [DATA_READ]), { name: 'n' })).toBe('MissingScope');
  });

  it('lets the operator onboard any tenant, and nobody else', () => {
    expect(outcome('PUT /admin/v1/tenants/{tenant}', principal('system', []), { tenant: 'shop' })).toBe('allowed');
  });
});
