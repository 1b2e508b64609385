import { MAX_JSON_DEPTH } from '../../../shared/platform/http.js';
import { apiUrl, call } from '../../support/api.js';
import { newTenant, type Tenant } from '../partner/support.js';
import { profileWorld, type World } from '../profile/support.js';
import { rawRequest } from './raw-http.js';

/**
 * Issue 9 §2 reproductions: dot segments must not reach another route (the relations DELETE once
 * erased the whole profile), and deeply nested JSON must be a 400, not a 500.
 */
let world: World;
let partners: Tenant;

beforeAll(async () => {
  [world, partners] = await Promise.all([profileWorld(), newTenant('dots')]);
}, 90_000);

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('dot segments in a path parameter', () => {
  it.each(['%2e%2e', '%2E%2e', '.%2e', '..', '%2e', '.'])('DELETE /profile/v1/me/relations/%s is a 400 and the profile stays whole', async (dots) => {
    const guest = await world.guest();
    const token = await guest.token();
    expect((await call('PUT', '/profile/v1/me', { token, body: { givenName: 'Gina' } })).status).toBeLessThan(300);
    expect((await call('PUT', '/profile/v1/partnerdata/keep', { token, body: { kept: true } })).status).toBe(201);

    const response = await rawRequest(apiUrl(), 'DELETE', `/profile/v1/me/relations/${dots}`, { token });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'InvalidPathParameter', traceId: expect.any(String) });

    const me = await call('GET', '/profile/v1/me', { token });
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain('Gina');
    expect((await call('GET', '/profile/v1/partnerdata/keep', { token })).body).toEqual({ kept: true });
  });

  it('GET /v2/partner/{id}/uebernahmeRechtFuer/%2e%2e is a 400, not the partner itself', async () => {
    const response = await rawRequest(apiUrl(), 'GET', `/v2/partner/${partners.admin}/uebernahmeRechtFuer/%2e%2e`, { token: partners.adminToken });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'InvalidPathParameter' });
    expect(response.body.partnerId).toBeUndefined();
  });

  it('a control character in a path parameter is a 400', async () => {
    const guest = await world.guest();
    const response = await rawRequest(apiUrl(), 'GET', '/profile/v1/partnerdata/a%00b', { token: await guest.token() });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'InvalidPathParameter' });
  });

  it.each(['%zz', '%c0%ae', '%e2%82'])('malformed percent-encoding %s in a parameter is a 400 JSON', async (bad) => {
    const guest = await world.guest();
    const response = await rawRequest(apiUrl(), 'GET', `/profile/v1/partnerdata/${bad}`, { token: await guest.token() });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ message: expect.stringContaining('percent-encoding') });
  });
});

describe(`JSON bodies nest at most ${MAX_JSON_DEPTH} levels`, () => {
  it('PUT /profile/v1/partnerdata/{name} with JSON nested 5,000 deep is a 400 and stores nothing', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    const body = nested(5_000);
    expect(body.length).toBe(10_000);
    const response = await call('PUT', '/profile/v1/partnerdata/deep', { token, rawBody: body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'JsonTooDeep', traceId: expect.any(String) });
    expect((await call('GET', '/profile/v1/partnerdata/deep', { token })).status).toBe(404);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}; brackets inside strings do not count`, async () => {
    const guest = await world.guest();
    const token = await guest.token();
    const atLimit = await call('PUT', '/profile/v1/partnerdata/limit', { token, rawBody: nested(MAX_JSON_DEPTH) });
    expect(atLimit.status).toBe(201);
    expect((await call('GET', '/profile/v1/partnerdata/limit', { token })).text).toBe(nested(MAX_JSON_DEPTH));
    expect((await call('PUT', '/profile/v1/partnerdata/over', { token, rawBody: nested(MAX_JSON_DEPTH + 1) })).status).toBe(400);
    const strings = await call('PUT', '/profile/v1/partnerdata/strings', { token, body: { text: `${'['.repeat(200)}\\"{{{` } });
    expect(strings.status).toBe(201);
  });

  it('holds for every body, e.g. a partner create nested 10,000 deep inside an attribute (60 KB)', async () => {
    const body = `{"vorname":"Deep","anschrift":${'{"x":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const response = await call('POST', `/v2/partner/${partners.admin}/untergeordnete`, { token: partners.adminToken, rawBody: body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'JsonTooDeep' });
  });
});

describe('a client that resolved the dot segments itself (fetch, browsers)', () => {
  it('DELETE /profile/v1/me/relations/.. arrives as DELETE /profile/v1/me/ and is a 404, never an erasure', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    expect((await call('PUT', '/profile/v1/partnerdata/keep', { token, body: { kept: true } })).status).toBe(201);
    // What fetch sends for `${API}/profile/v1/me/relations/%2e%2e` (WHATWG URL resolves the segment).
    expect(new URL(`${apiUrl()}/profile/v1/me/relations/%2e%2e`).pathname).toBe('/profile/v1/me/');
    const response = await fetch(`${apiUrl()}/profile/v1/me/relations/%2e%2e`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'RouteNotFound' });
    expect((await call('GET', '/profile/v1/partnerdata/keep', { token })).body).toEqual({ kept: true });
  });

  it('reads and writes other than DELETE keep API Gateway\'s trailing-slash routing', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    const written = await rawRequest(apiUrl(), 'PUT', '/profile/v1/partnerdata/slash/', { token, body: '{"n":1}' });
    expect(written.status).toBe(201);
    const response = await rawRequest(apiUrl(), 'GET', '/profile/v1/partnerdata/slash/', { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ n: 1 });
  });
});

describe('bodies are refused, never silently changed', () => {
  const cases: Array<[string, { body: string | Buffer; headers?: Record<string, string> }, string]> = [
    ['a number beyond a double (1e309 would be stored as null)', { body: '{"n":1e309}' }, 'NumberOutOfRange'],
    ['bytes that are not UTF-8', { body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xae, 0x22, 0x7d]) }, 'InvalidUtf8'],
    ['a compressed body', { body: '{"a":1}', headers: { 'content-encoding': 'gzip' } }, 'UnsupportedContentEncoding'],
    ['a charset other than UTF-8', { body: '{"a":1}', headers: { 'content-type': 'application/json; charset=iso-8859-1' } }, 'UnsupportedCharset'],
  ];
  it.each(cases)('%s is a 400 and nothing is stored', async (_what, request, code) => {
    const guest = await world.guest();
    const token = await guest.token();
    const response = await rawRequest(apiUrl(), 'PUT', '/profile/v1/partnerdata/changed', { token, ...request });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code, traceId: expect.any(String) });
    expect((await call('GET', '/profile/v1/partnerdata/changed', { token })).status).toBe(404);
  });
});
