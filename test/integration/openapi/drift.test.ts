import { readFileSync } from 'node:fs';
import { catalog } from '../../../infra/catalog/index.js';
import { buildDescription, DESCRIPTION_FILE, serialize } from '../../../infra/openapi/generate.js';
import { responsesByRoute } from '../../../infra/openapi/responses/index.js';
import { apiUrl } from '../../support/api.js';
import { checkAgainstDescription } from '../../support/openapi-check.js';

/**
 * docs/api/mydata-openapi.json is the published description of the whole API (decision 0090): it must be
 * exactly what the generator makes of the catalog, the handlers' schemas and the response declarations now
 * (`npm run openapi` rewrites it), the local gateway serves it, and the check every HTTP test runs refuses
 * what the description does not say.
 */
// biome-ignore lint/suspicious/noExplicitAny: the tests read the JSON document by its paths
type Json = Record<string, any>;
const checkedIn = (): Json => JSON.parse(readFileSync(DESCRIPTION_FILE, 'utf8'));

describe('the published OpenAPI description', () => {
  let generated: Json;
  beforeAll(async () => {
    generated = await buildDescription();
  }, 60_000);

  it('is what the generator produces from the code now (run npm run openapi after changing a route, schema or answer)', () => {
    expect(readFileSync(DESCRIPTION_FILE, 'utf8')).toBe(serialize(generated));
  });

  it('describes every route of the catalog under its path and method, with its scopes and callers', () => {
    for (const route of catalog.routes) {
      const operation = generated.paths[route.path]?.[route.method.toLowerCase()];
      expect({ route: route.id, described: operation?.['x-route-id'] }).toEqual({ route: route.id, described: route.id });
      expect(operation['x-callers']).toEqual(route.callers);
      expect(operation.security).toEqual(route.scopes.length ? route.scopes.map((s) => ({ bearer: [s] })) : [{ bearer: [] }]);
    }
    const operations = Object.values(generated.paths).flatMap((item) => Object.keys(item as object));
    expect(operations).toHaveLength(catalog.routes.length);
  });

  it('declares answers only for routes that exist', () => {
    const ids = new Set(catalog.routes.map((r) => r.id));
    expect(Object.keys(responsesByRoute).filter((id) => !ids.has(id))).toEqual([]);
  });

  it("keeps the Europace spec's operations as the contract of the partner routes it defines", () => {
    const getPartner = generated.paths['/v2/partner/{partnerId}'].get;
    expect(getPartner.operationId).toBe('getPartner');
    expect(getPartner['x-europace']).toBe(true);
    expect(getPartner.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Europace.Partner' });
    expect(generated.components.schemas['Europace.Partner']).toBeDefined();
    expect(generated.paths['/v2/partner/{partnerId}/pfad'].get['x-europace']).toBeUndefined();
  });

  it('takes request schemas from the handlers (what they validate with)', () => {
    const putTenant = generated.paths['/admin/v1/tenants/{tenant}'].put;
    expect(putTenant.requestBody.content['application/json'].schema.required).toEqual(['name', 'rootPartner', 'administrator']);
    expect(putTenant.parameters[0]).toMatchObject({ name: 'tenant', in: 'path', required: true, schema: { pattern: '^[a-z][a-z0-9-]{2,39}$' } });
    const history = generated.paths['/profile-consent/v1/{tenant}/consents/{ref}/history'].get;
    expect(history.parameters.map((p: Json) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['path:tenant', 'path:ref', 'query:limit']));
  });
});

describe('the local gateway serves the description', () => {
  it('at GET /openapi.json without a token', async () => {
    const response = await fetch(`${apiUrl()}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual(checkedIn());
  });

  it('and a browsable reference at /docs that loads nothing from elsewhere', async () => {
    const page = await fetch(`${apiUrl()}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/docs.js"></script>');
    expect(html).toContain("default-src 'self'");
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${apiUrl()}/docs.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("fetch('/openapi.json')");
  });
});

describe('the check every HTTP test runs', () => {
  const answer = (status: number, body?: unknown) => ({ status, headers: new Headers(), body, text: body === undefined ? '' : JSON.stringify(body) });
  const classEntry = { class: 'C', title: 'T', description: '', editable: true, enabled: true };

  it('passes an answer as described', () => {
    expect(() => checkAgainstDescription('PUT', '/admin/v1/consentClasses/C', answer(201, classEntry))).not.toThrow();
    expect(() => checkAgainstDescription('DELETE', '/profile/v1/me', answer(204))).not.toThrow();
  });

  it('refuses a status the route does not describe', () => {
    expect(() => checkAgainstDescription('PUT', '/admin/v1/consentClasses/C', answer(418, classEntry))).toThrow(/status 418 .* is not described/);
  });

  it('refuses a body with a field the code does not produce, or without a required one', () => {
    expect(() => checkAgainstDescription('PUT', '/admin/v1/consentClasses/C', answer(200, { ...classEntry, extra: 1 }))).toThrow(/drifts/);
    const { enabled: _, ...withoutEnabled } = classEntry;
    expect(() => checkAgainstDescription('PUT', '/admin/v1/consentClasses/C', answer(200, withoutEnabled))).toThrow(/drifts/);
  });

  it('refuses a body where none is described, and an error body without its code', () => {
    expect(() => checkAgainstDescription('DELETE', '/profile/v1/me', answer(204, { deleted: true }))).toThrow(/without a body/);
    expect(() => checkAgainstDescription('GET', '/profile/v1/me', answer(404, { message: 'gone', traceId: 't' }))).toThrow(/drifts/);
  });

  it('checks partner answers against the Europace schemas the description takes from the spec', () => {
    expect(() => checkAgainstDescription('GET', '/v2/partner/ABC12', answer(200, { partnerId: 'ABC12', typ: 'PERSON' }))).not.toThrow();
    expect(() => checkAgainstDescription('GET', '/v2/partner/ABC12', answer(200, { partnerId: 'ABC12', typ: 'ROBOT' }))).toThrow(/drifts/);
  });

  it('lets through what no route answers (the gateway’s 404 for an unknown path)', () => {
    expect(() => checkAgainstDescription('GET', '/nowhere', answer(404, { message: 'Not Found', traceId: 't' }))).not.toThrow();
  });
});
