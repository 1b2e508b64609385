import { existsSync } from 'node:fs';
import { catalog } from '../../infra/catalog/index.js';
import { validatePattern } from '../../infra/local/eventbridge/pattern-validation.js';
import { ALL_SCOPES } from '../../shared/platform/scopes.js';

/** Scopes a route may require: the brief's consent and profile scopes and the Europace spec's scopes. */
const knownScopes = new Set(ALL_SCOPES);

describe('the catalog of routes and rules', () => {
  it('has unique ids and unique METHOD path route keys', () => {
    const ids = [...catalog.routes, ...catalog.rules].map((entry) => entry.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const keys = catalog.routes.map((route) => `${route.method} ${route.path}`);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  it('points every route and rule at a handler file that exists', () => {
    const missing = [...catalog.routes, ...catalog.rules].map((entry) => entry.handler).filter((file) => !existsSync(file));
    expect(missing).toEqual([]);
  });

  it('asks only for known scopes', () => {
    const unknown = catalog.routes.flatMap((route) => route.scopes).filter((scope) => !knownScopes.has(scope));
    expect(unknown).toEqual([]);
  });

  it('gives every rule a valid EventBridge pattern on a mydata source', () => {
    for (const rule of catalog.rules) {
      expect(() => validatePattern(rule.pattern)).not.toThrow();
      expect(JSON.stringify(rule.pattern.source)).toMatch(/mydata\./);
    }
  });

  it('declares for every route which caller kinds may use it, none twice, none unknown', () => {
    const kinds = new Set(['guest', 'anonymous', 'partner', 'tenant', 'system']);
    for (const route of catalog.routes) {
      expect({ route: route.id, declared: route.callers.length > 0 }).toEqual({ route: route.id, declared: true });
      expect(route.callers.filter((kind) => !kinds.has(kind))).toEqual([]);
      expect(new Set(route.callers).size).toBe(route.callers.length);
    }
  });

  it('lets no route with a {tenant} parameter serve partners of any tenant, nor the operator outside /admin/v1/tenants/{tenant}', () => {
    const open = catalog.routes.filter((r) => r.path.includes('{tenant}') && r.callers.some((k) => k === 'partner' || k === 'system'));
    const operatorOnly = (r: (typeof open)[number]) => r.path.startsWith('/admin/v1/tenants/{tenant}') && r.callers.length === 1 && r.callers[0] === 'system';
    expect(open.filter((r) => !operatorOnly(r)).map((r) => r.id)).toEqual([]);
    expect(open.map((r) => r.id)).toEqual(expect.arrayContaining(['PutTenant', 'RestoreTenantAdministrator']));
  });

  it('uses API Gateway path syntax (no trailing slash: API Gateway rejects it and routes `/a/` to `/a`)', () => {
    const invalid = catalog.routes.map((route) => route.path).filter((path) => !/^(\/([\w.:-]+|\{\w+\+?\}))+$/.test(path));
    expect(invalid).toEqual([]);
  });
});
