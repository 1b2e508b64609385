import { planFunctions, routePoliciesOf } from '../../../infra/aws/function-plan.js';
import { catalog } from '../../../infra/catalog/index.js';
import type { Principal, PrincipalKind } from '../../../shared/platform/principal.js';
import { declaredRoute, declareRoutes, enforceRoutePolicy } from '../../../shared/platform/route-policy.js';
import { CONSENT_MANAGE, CONSENT_VIEW, DATA_READ, DATA_SHARE, DATA_WRITE, PARTNER_SCOPES } from '../../../shared/platform/scopes.js';

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
      expect(declaredRoute(`${route.method} ${route.path}`)).toEqual({ method: route.method, path: route.path, callers: route.callers, scopes: route.scopes, guestVia: route.guestVia });
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

  it('refuses a partner app\'s guest token on every route marked for the platform\'s own pages, with the one 403 body (decision 0127)', () => {
    const marked = catalog.routes.filter((route) => route.guestVia === 'platform-pages');
    expect(marked.map((route) => `${route.method} ${route.path}`).sort()).toEqual(['GET /profile/v1/me/access', 'GET /profile/v1/me/export', 'GET /profile/v1/me/purges']);
    const app: Principal = { ...principal('guest', [DATA_READ]), partnerId: 'PARTNER1', clientId: 'app-a' };
    const portal: Principal = { ...principal('guest', [DATA_READ]), clientId: 'mydata-portal' };
    for (const route of marked) {
      const routeKey = `${route.method} ${route.path}`;
      expect(outcome(routeKey, app)).toBe('PlatformPagesOnly');
      expect(() => enforceRoutePolicy({ routeKey }, app)).toThrow(expect.objectContaining({ kind: 'Forbidden', code: 'PlatformPagesOnly', message: expect.stringContaining('platform’s own pages') }));
      expect(outcome(routeKey, portal)).toBe('allowed');
      // The caller kinds and scopes are decided first, as on every route.
      expect(outcome(routeKey, { ...app, scopes: new Set() })).toBe('MissingScope');
      expect(outcome(routeKey, { ...app, kind: 'partner' })).toBe('PrincipalNotAllowed');
    }
  });

  it('lets any guest token use the routes not so marked: the guest\'s own deletions and erasure through any app (decision 0307)', () => {
    const app: Principal = { ...principal('guest', [DATA_READ, DATA_WRITE, DATA_SHARE]), partnerId: 'PARTNER1', clientId: 'app-a' };
    for (const routeKey of ['DELETE /profile/v1/me', 'DELETE /profile/v1/me/shares/{sharingIdentifier}', 'DELETE /profile/v1/me/imports/{sharingIdentifier}', 'GET /profile/v1/me', 'GET /profile/v1/shares']) {
      expect(declaredRoute(routeKey)?.guestVia).toBeUndefined();
      expect(outcome(routeKey, app)).toBe('allowed');
    }
  });

  it('lets the operator onboard any tenant, and nobody else', () => {
    expect(outcome('PUT /admin/v1/tenants/{tenant}', principal('system', []), { tenant: 'shop' })).toBe('allowed');
  });
});
