import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import type { RouteDefinition } from '../../../infra/catalog/types.js';
import { startGateway, type LocalGateway } from '../../../infra/local/gateway.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadIssuer, type LocalIssuer } from '../../../infra/local/issuer.js';
import { rawRequest } from '../fuzz/raw-http.js';

const routes: RouteDefinition[] = [
  { id: 'Echo', method: 'GET', path: '/things/{tenant}/items/{item}', handler: 'test/fixtures/echo-handler.ts', scopes: ['things_read', 'things_admin'], callers: ['guest', 'tenant'], access: [] },
  { id: 'EchoLiteral', method: 'GET', path: '/things/{tenant}/items/special', handler: 'test/fixtures/echo-handler.ts', scopes: [], callers: ['guest', 'tenant'], access: [] },
  { id: 'EchoPost', method: 'POST', path: '/things', handler: 'test/fixtures/echo-handler.ts', scopes: [], callers: ['guest', 'tenant'], access: [] },
  { id: 'EchoTenant', method: 'GET', path: '/things/{tenant}', handler: 'test/fixtures/echo-handler.ts', scopes: [], callers: ['guest', 'tenant'], access: [] },
];

let gateway: LocalGateway;
let issuer: LocalIssuer;

beforeAll(async () => {
  issuer = await loadIssuer(join(mkdtempSync(join(tmpdir(), 'gw-')), 'key.json'));
  gateway = await startGateway({ port: 0, routes, issuer });
});
afterAll(() => gateway.stop());

const get = async (path: string, token?: string) => {
  const response = await fetch(`${gateway.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  // biome-ignore lint/suspicious/noExplicitAny: the echo handler answers arbitrary JSON
  return { status: response.status, body: (await response.json()) as any };
};

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('local API gateway (HTTP API payload 2.0 with a JWT authorizer)', () => {
  it('hands the function a payload 2.0 event with decoded path parameters and string claims', async () => {
    const token = await issuer.sign({ principal: 'guest', sub: 'g-1', tenant: 'shop', scope: 'things_read other' });
    const { status, body } = await get('/things/shop/items/a%2Fb?x=1&x=2&y=3', token);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      version: '2.0',
      routeKey: 'GET /things/{tenant}/items/{item}',
      rawPath: '/things/shop/items/a%2Fb',
      pathParameters: { tenant: 'shop', item: 'a/b' },
      queryStringParameters: { x: '1,2', y: '3' },
      requestContext: {
        http: { method: 'GET', path: '/things/shop/items/a%2Fb' },
        authorizer: { jwt: { claims: { principal: 'guest', sub: 'g-1', tenant: 'shop', scope: 'things_read other' }, scopes: ['things_read', 'other'] } },
      },
    });
    expect(typeof body.requestContext.authorizer.jwt.claims.exp).toBe('string');
  });

  it('prefers a literal segment over a path parameter, as API Gateway does', async () => {
    const token = await issuer.sign({ principal: 'guest', sub: 'g-1', tenant: 'shop' });
    const { body } = await get('/things/shop/items/special', token);
    expect(body.routeKey).toBe('GET /things/{tenant}/items/special');
  });

  it('routes a path with a trailing slash to the route without it, keeping rawPath as sent', async () => {
    const token = await issuer.sign({ principal: 'guest', sub: 'g-1', tenant: 'shop', scope: 'things_read' });
    const { status, body } = await get('/things/shop/items/7/', token);
    expect(status).toBe(200);
    expect(body).toMatchObject({ routeKey: 'GET /things/{tenant}/items/{item}', rawPath: '/things/shop/items/7/', pathParameters: { item: '7' } });
  });

  it('accepts any one of the route scopes and refuses a token without them (403)', async () => {
    const admin = await issuer.sign({ principal: 'tenant', sub: 't', tenant: 'shop', scope: 'things_admin' });
    expect((await get('/things/shop/items/1', admin)).status).toBe(200);
    const none = await issuer.sign({ principal: 'tenant', sub: 't', tenant: 'shop', scope: 'unrelated' });
    const refused = await get('/things/shop/items/1', none);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: expect.stringContaining('things_read'), traceId: expect.any(String) });
  });

  describe('refuses forged or unusable tokens with 401 and a JSON body', () => {
    const cases: Array<[string, () => Promise<string>]> = [
      ['missing token', async () => ''],
      ['not a JWT', async () => 'garbage'],
      ['alg none', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'x', principal: 'system', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, scope: 'things_read' })}.`],
      ['signed by another key under the real kid', async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const kid = issuer.jwks.keys[0].kid!;
        return new SignJWT({ principal: 'system', scope: 'things_read' }).setProtectedHeader({ alg: 'ES256', kid }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').sign(privateKey);
      }],
      ['unknown kid', async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT({ principal: 'system', scope: 'things_read' }).setProtectedHeader({ alg: 'ES256', kid: 'nope' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').sign(privateKey);
      }],
      ['expired', () => issuer.sign({ principal: 'guest', sub: 'g', tenant: 'shop', scope: 'things_read' }, Math.floor(Date.now() / 1000) - 120)],
    ];
    it.each(cases)('%s', async (_name, makeToken) => {
      const { status, body } = await get('/things/shop/items/1', (await makeToken()) || undefined);
      expect(status).toBe(401);
      expect(body).toEqual({ message: expect.stringMatching(/^Unauthorized/), traceId: expect.any(String) });
    });

    it('wrong audience or issuer', async () => {
      for (const claims of [{ aud: 'someone-else' }, { iss: 'https://evil.example/' }]) {
        const token = await issuer.sign({ principal: 'guest', sub: 'g', tenant: 'shop', scope: 'things_read', ...claims });
        expect((await get('/things/shop/items/1', token)).status).toBe(401);
      }
    });
  });

  it('answers unknown routes and methods with 404 JSON, and oversized payloads with 413', async () => {
    const token = await issuer.sign({ principal: 'guest', sub: 'g', tenant: 'shop' });
    expect(await get('/nowhere', token)).toEqual({ status: 404, body: { message: expect.stringContaining('no route'), traceId: expect.any(String) } });
    const huge = await fetch(`${gateway.url}/things`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
  });

  describe('matches on the raw path, as API Gateway receives it', () => {
    it('never resolves dot segments: %2e%2e is a parameter of the route it was sent to, not a step up', async () => {
      const token = await issuer.sign({ principal: 'guest', sub: 'g-1', tenant: 'shop', scope: 'things_read' });
      for (const dots of ['%2e%2e', '%2E%2E', '.%2e', '..', '%2e']) {
        const response = await rawRequest(gateway.url, 'GET', `/things/shop/items/${dots}`, { token });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          routeKey: 'GET /things/{tenant}/items/{item}',
          rawPath: `/things/shop/items/${dots}`,
          pathParameters: { tenant: 'shop', item: decodeURIComponent(dots) },
        });
      }
    });

    it('decodes each parameter after splitting the path, so %2F stays inside its parameter', async () => {
      const token = await issuer.sign({ principal: 'guest', sub: 'g-1', tenant: 'shop', scope: 'things_read' });
      const response = await rawRequest(gateway.url, 'GET', '/things/shop/items/%2e%2e%2F%2e%2e?q=%2e%2e', { token });
      expect(response.body).toMatchObject({
        routeKey: 'GET /things/{tenant}/items/{item}',
        pathParameters: { item: '../..' },
        queryStringParameters: { q: '..' },
      });
    });

    it.each(['%zz', '%c0%ae', '%', '%e2%82', 'a%2'])('refuses the malformed percent-encoding %s with 400 JSON', async (bad) => {
      const token = await issuer.sign({ principal: 'guest', sub: 'g-1', tenant: 'shop', scope: 'things_read' });
      const response = await rawRequest(gateway.url, 'GET', `/things/shop/items/${bad}`, { token });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/json/);
      expect(response.body).toEqual({ message: expect.stringContaining('percent-encoding'), traceId: expect.any(String) });
    });

    it('answers requests Node cannot parse (oversized headers) with a JSON 4xx, not a bare status line', async () => {
      const response = await rawRequest(gateway.url, 'GET', '/things/shop/items/1', { headers: { 'x-big': 'a'.repeat(40_000) } });
      expect(response.status).toBe(431);
      expect(response.body).toEqual({ message: expect.stringContaining('Too Large'), traceId: expect.any(String) });
    });
  });

  it('serves the JWKS of the local issuer', async () => {
    const { status, body } = await get('/.well-known/jwks.json');
    expect(status).toBe(200);
    expect(body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) });
    expect(body.keys[0].d).toBeUndefined();
  });
});
