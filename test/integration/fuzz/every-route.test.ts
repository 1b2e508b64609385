import fc from 'fast-check';
import { catalog, type RouteDefinition } from '../../../infra/catalog/index.js';
import type { PrincipalKind } from '../../../shared/platform/principal.js';
import { apiUrl, tokenFor } from '../../support/api.js';
import { type Guest, profileWorld, type World } from '../profile/support.js';
import { rawRequest } from './raw-http.js';
import { ALL_SCOPES as EVERY_SCOPE, CONSENT_VIEW, scopeClaim } from '../../../shared/platform/scopes.js';

/**
 * Issue 9 §2: a fuzz suite over EVERY route of the catalog. For each route the inputs are generated
 * from the route itself (path parameters, method) and from the request schemas of its function (the
 * body's and the query's field names, read from `handler.spec`): malformed and deeply nested JSON,
 * wrong types, huge values, control characters and bad percent-encoding in path and query, duplicate
 * query parameters, odd and oversized headers. The token is valid and of a caller kind the route
 * declares, with every scope, so the input reaches validation and the domain. Every answer must be a
 * 2xx (where the input happens to be acceptable) or a JSON 4xx: no 5xx, ever.
 */
const CASES_PER_ROUTE = Number(process.env.FUZZ_CASES_PER_ROUTE ?? 24);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const ALL_SCOPES = scopeClaim(EVERY_SCOPE);

/** The caller kind the fuzz uses per route: the first the route declares, in this order of preference. */
const PREFERENCE: readonly PrincipalKind[] = ['guest', 'partner', 'tenant', 'system', 'anonymous'];
const callerOf = (route: RouteDefinition) => PREFERENCE.find((kind) => route.callers.includes(kind)) ?? route.callers[0];

// ---------------------------------------------------------------- schemas of the functions

interface ZodLike {
  _zod: { def: { type: string; shape?: Record<string, ZodLike>; options?: ZodLike[]; innerType?: ZodLike } };
}

/** Top-level field names of a zod/mini object schema (through optionals and unions). */
function fieldsOf(schema: ZodLike | undefined): string[] {
  if (!schema) return [];
  const def = schema._zod.def;
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'optional') return fieldsOf(def.innerType);
  if (def.type === 'union') return [...new Set((def.options ?? []).flatMap(fieldsOf))];
  return [];
}

interface RouteSchemas {
  readonly body: string[];
  readonly hasBody: boolean;
  readonly query: string[];
}

async function schemasOf(route: RouteDefinition): Promise<RouteSchemas> {
  const module = (await import(`../../../${route.handler.replace(/\.ts$/, '.js')}`)) as { handler: { spec?: { body?: ZodLike; query?: ZodLike } } };
  const spec = module.handler.spec ?? {};
  return { body: fieldsOf(spec.body), hasBody: spec.body !== undefined, query: fieldsOf(spec.query) };
}

// ---------------------------------------------------------------- generators

const BAD_ENCODINGS = ['%zz', '%', '%c0%ae', '%e2%82', '%ff', '%2', 'a%g0', '%%'];
const TRICKY_SEGMENTS = ['%2e%2e', '..', '.', '%2e', '.%2e', '%2F', '%2e%2e%2F%2e%2e', '%00', '%0a', '%7f', '%1b%5b31m', '%252e%252e', '%E2%80%AE', '%F0%9F%92%A9', '%ef%bf%bf'];

/** Any text, percent-encoded (lone surrogates cannot be encoded: they fall back to a marker). */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%EF%BF%BD';
  }
};

const controlText = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 8 });
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), controlText);
const hugeText = fc.integer({ min: 1_000, max: 12_000 }).map((n) => 'x'.repeat(n));
/** Around DynamoDB's key limits (1024 bytes sort key, 2048 partition key) in multi-byte characters. */
const keySizedText = fc.tuple(fc.integer({ min: 150, max: 1_200 }), fc.constantFrom('€', '😀', 'ß', 'a')).map(([n, c]) => c.repeat(n));

/** A path segment or query value as it goes on the wire (already percent-encoded, or deliberately broken). */
const wireValue = fc.oneof(
  { weight: 3, arbitrary: anyText.map(encode) },
  { weight: 2, arbitrary: fc.constantFrom(...BAD_ENCODINGS, ...TRICKY_SEGMENTS) },
  { weight: 1, arbitrary: hugeText },
  { weight: 2, arbitrary: keySizedText.map(encode) },
  { weight: 1, arbitrary: fc.constantFrom('ABC12', '0', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', '') },
);

/** JSON values of the wrong kind for any field, including huge and control-character strings. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  anyText,
  hugeText,
  keySizedText,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, '', [], {}, [null], { '': '' }, '2024-13-45', 'not-an-email', 'HERR'),
  fc.integer(),
  fc.double(),
);

const deepJson = fc.tuple(fc.integer({ min: 65, max: 6_000 }), fc.constantFrom('array', 'object', 'mixed')).map(([depth, kind]) => {
  if (kind === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (kind === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `{"x":${'[{"y":'.repeat(depth / 2)}0${'}]'.repeat(depth / 2)}}`;
});

function bodyArbitrary(schemas: RouteSchemas): fc.Arbitrary<string | undefined> {
  const fields = schemas.body.length > 0 ? schemas.body : ['value'];
  const wrongTyped = fc
    .dictionary(fc.constantFrom(...fields, '__proto__', 'constructor', 'extra'), wrongValue, { minKeys: 1, maxKeys: 6 })
    .map((value) => JSON.stringify(value));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.string({ maxLength: 60 }) }, // malformed (mostly) JSON
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":1,}', '[1,]', '{"a":1}{"b":2}', 'nul', '"\\ud800"', '{"a":"\\u0000"}', '\u0000', '\ufeff{}') },
    { weight: 2, arbitrary: deepJson },
    { weight: schemas.hasBody ? 5 : 1, arbitrary: wrongTyped },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 400_000 }).map((n) => JSON.stringify({ [fields[0]]: 'y'.repeat(n) })) },
  );
}

/** Header values the HTTP client can send (printable Latin-1), odd but well-formed. */
const headerText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.constantFrom('*', '"1"', 'W/"x"', '"999999999999999999999"', '', '\u00ff\u00e4', 'null'),
);

const headersArbitrary = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', 'application/merge-patch+json', 'garbage/;;'),
    'if-match': headerText,
    'if-none-match': headerText,
    'hybris-user': headerText,
    'consent-reference-token': headerText,
    'idempotency-key': headerText,
    'x-correlation-id': headerText,
    // Mostly below Node's 16 KB header limit (reaches the function), sometimes above it (431 JSON).
    'x-large': fc.integer({ min: 2_000, max: 20_000 }).map((n) => 'h'.repeat(n)),
  },
  { requiredKeys: [] },
);

/**
 * A valid body per route where the function needs one, so that inputs fuzzed in the path, query or
 * headers get past body validation into the domain. Bodies never onboard tenants or touch other tests.
 */
const BASELINE: Record<string, unknown> = {
  PutConsentClass: { title: 'Fuzz', description: 'fuzz suite' },
  BlockConsentReference: { blocked: false },
  PutClassConsents: { granted: true },
  PutSchemaConsent: { granted: true },
  PutMetamodelSchema: { consentClass: 'PartnerData', owner: 'user', title: 'Fuzz', description: 'fuzz suite' },
  PatchPartner: { telefonnummer: '030 1' },
  CreatePartner: { vorname: 'Fuzz', nachname: 'Zed' },
  PutMyProfile: { givenName: 'Fuzz' },
  PutPartnerData: { fuzz: true },
  PutProfileSettings: { sharedEntityTypes: [] },
};
const JSON_HEADERS = { 'content-type': 'application/json' };

interface FuzzCase {
  readonly pathOverride?: { index: number; value: string };
  readonly trailingSlash: boolean;
  readonly query: Array<[string, string]>;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/**
 * One case fuzzes one part of the request (path, query, headers or body) on top of a valid request,
 * or all of them at once, so every part is exercised both alone (reaching the domain) and combined.
 */
function caseArbitrary(route: RouteDefinition, schemas: RouteSchemas): fc.Arbitrary<FuzzCase> {
  const all = fuzzEverything(route, schemas);
  const baseline = route.id in BASELINE ? JSON.stringify(BASELINE[route.id]) : schemas.hasBody ? '{}' : undefined;
  const valid: FuzzCase = { pathOverride: undefined, trailingSlash: false, query: [], headers: JSON_HEADERS, body: baseline };
  return fc.oneof(
    all.map((c) => ({ ...valid, pathOverride: c.pathOverride, trailingSlash: c.trailingSlash })),
    all.map((c) => ({ ...valid, query: c.query })),
    all.map((c) => ({ ...valid, headers: { ...c.headers, ...(c.headers['content-type'] && Math.random() < 0.5 ? JSON_HEADERS : {}) } })),
    all.map((c) => ({ ...valid, body: c.body })),
    all,
  );
}

function fuzzEverything(route: RouteDefinition, schemas: RouteSchemas): fc.Arbitrary<FuzzCase> {
  const paramCount = (route.path.match(/\{[^}]+\}/g) ?? []).length;
  const queryKey = fc.oneof(
    { weight: 3, arbitrary: schemas.query.length > 0 ? fc.constantFrom(...schemas.query) : fc.constant('q') },
    { weight: 1, arbitrary: anyText.map(encode) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_ENCODINGS) },
  );
  const pair = fc.tuple(queryKey, wireValue);
  // Duplicates: the same key several times with different values.
  const duplicated = fc.tuple(queryKey, fc.array(wireValue, { minLength: 2, maxLength: 4 })).map(([key, values]) => values.map((v) => [key, v] as [string, string]));
  return fc.record({
    pathOverride: paramCount > 0 ? fc.option(fc.record({ index: fc.nat({ max: paramCount - 1 }), value: wireValue }), { nil: undefined }) : fc.constant(undefined),
    trailingSlash: fc.boolean(),
    query: fc.oneof(fc.array(pair, { maxLength: 4 }), duplicated),
    headers: headersArbitrary as fc.Arbitrary<Record<string, string>>,
    body: bodyArbitrary(schemas),
  });
}

// ---------------------------------------------------------------- the world the routes act on

let world: World;
const guests = new Map<string, Guest>();

/** Valid values of every path parameter name in the catalog (a route-specific guest for guest routes). */
function defaultParam(name: string, route: RouteDefinition): string {
  const guest = guests.get(route.id);
  switch (name) {
    case 'tenant':
      return world.tenant;
    case 'ref':
    case 'leading':
      return guest?.ref ?? 'TENANT';
    case 'user':
      return guest?.sub ?? 'fuzz-user';
    case 'consentClass':
    case 'schema':
      return 'PartnerData';
    case 'class':
      return 'FuzzClass';
    case 'partnerId':
      return route.path.startsWith('/v2/') ? world.partnerB : world.partnerA;
    case 'target':
      return world.partnerA;
    case 'name':
      return 'fuzz-object';
    case 'sharingIdentifier':
      return '00000000-0000-4000-8000-000000000000';
    default:
      return 'x';
  }
}

async function tokenOf(route: RouteDefinition): Promise<string> {
  const kind = callerOf(route);
  const guest = guests.get(route.id);
  switch (kind) {
    case 'guest':
      return tokenFor({ principal: 'guest', tenant: world.tenant, sub: guest?.sub, partner: world.partnerA, client: 'app-a', scope: ALL_SCOPES });
    case 'partner':
      return tokenFor({ principal: 'partner', tenant: world.tenant, partner: world.partnerB, sub: `user-${world.partnerB}`, client: 'app-1', scope: ALL_SCOPES });
    case 'tenant':
      return tokenFor({ principal: 'tenant', tenant: world.tenant, sub: 'fuzz-admin', scope: ALL_SCOPES });
    case 'system':
      return tokenFor({ principal: 'system', sub: 'fuzz-operator', scope: ALL_SCOPES });
    default:
      return tokenFor({ principal: 'anonymous', tenant: world.tenant, scope: CONSENT_VIEW });
  }
}

function targetOf(route: RouteDefinition, fuzz: FuzzCase): string {
  let index = 0;
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = fuzz.pathOverride?.index === index ? fuzz.pathOverride.value : encode(defaultParam(name, route));
    index++;
    return value;
  });
  const query = fuzz.query.map(([k, v]) => `${k}=${v}`).join('&');
  return `${path}${fuzz.trailingSlash ? '/' : ''}${query ? `?${query}` : ''}`;
}

const routes = [...catalog.routes];

beforeAll(async () => {
  world = await profileWorld();
  // Each guest route acts on its own guest (some routes erase, revoke or delete what they act on).
  const guestRoutes = routes.filter((r) => callerOf(r) === 'guest');
  for (let i = 0; i < guestRoutes.length; i += 6) {
    const batch = guestRoutes.slice(i, i + 6);
    const made = await Promise.all(batch.map(() => world.guest({ givenName: 'Fuzz' })));
    batch.forEach((r, j) => guests.set(r.id, made[j]));
  }
}, 180_000);

interface Finding {
  readonly target: string;
  readonly status: number;
  readonly problem: string;
  readonly text: string;
}

describe(`fuzzing every route of the catalog (${routes.length} routes × ${CASES_PER_ROUTE} cases, seed ${SEED})`, () => {
  it('covers every route of the catalog', () => {
    expect(routes.length).toBeGreaterThanOrEqual(50);
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s answers every generated input with a JSON 4xx or a 2xx, never 5xx', async (_name, route) => {
    const schemas = await schemasOf(route);
    const token = await tokenOf(route);
    const findings: Finding[] = [];
    let reached = 0;
    const tally = new Map<string, number>();
    const seed = SEED + routes.indexOf(route);
    await fc.assert(
      fc.asyncProperty(caseArbitrary(route, schemas), async (fuzz) => {
        const target = targetOf(route, fuzz);
        const response = await rawRequest(apiUrl(), route.method, target, { token, headers: fuzz.headers, body: fuzz.body });
        // Answers of the function itself (2xx, or an error with its `code`), not of the gateway.
        if (response.status < 300 || typeof response.body?.code === 'string') reached++;
        const key = `${response.status}${response.body?.code ? ` ${response.body.code}` : ''}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        let problem: string | undefined;
        if (response.status >= 500) problem = 'server error';
        else if (response.status < 200 || (response.status >= 300 && response.status < 400)) problem = 'unexpected status';
        else if (response.status >= 400) {
          if (!String(response.headers['content-type'] ?? '').includes('application/json')) problem = 'error without JSON content type';
          else if (typeof response.body?.message !== 'string') problem = 'error body without message';
        }
        if (problem) findings.push({ target: target.slice(0, 300), status: response.status, problem, text: response.text.slice(0, 300) });
      }),
      { numRuns: CASES_PER_ROUTE, seed, endOnFailure: true },
    );
    if (process.env.FUZZ_REPORT) console.log(`${route.method} ${route.path}`, Object.fromEntries(tally), `reached ${reached}`);
    expect(findings).toEqual([]);
    // The token and the default parameters are right: generated inputs reach the function, not only the gateway.
    expect(reached).toBeGreaterThan(0);
  }, 120_000);
});
