/**
 * Decision 0124: the local gateway keeps tokens it verified, by their exact string, until they expire. A
 * kept token is served only while its `exp` admits it; any other string (a changed signature or claim) is
 * verified again; the scope check runs on every request.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RouteDefinition } from '../../../infra/catalog/types.js';
import { type LocalGateway, startGateway } from '../../../infra/local/gateway.js';
import { type LocalIssuer, loadIssuer } from '../../../infra/local/issuer.js';

const routes: RouteDefinition[] = [
  { id: 'Echo', method: 'GET', path: '/things/{tenant}', handler: 'test/fixtures/echo-handler.ts', scopes: ['things_read'], callers: ['guest'], access: [] },
];

let gateway: LocalGateway;
let issuer: LocalIssuer;

beforeAll(async () => {
  issuer = await loadIssuer(join(mkdtempSync(join(tmpdir(), 'gw-tokens-')), 'key.json'));
  gateway = await startGateway({ port: 0, routes, issuer });
});
afterAll(() => gateway.stop());

const status = async (token: string) => (await fetch(`${gateway.url}/things/shop`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('verified tokens kept by the local gateway until they expire', () => {
  it('serves a kept token until its exp, then refuses it like any expired token', async () => {
    const token = await issuer.sign({ principal: 'guest', sub: 'g-1', tenant: 'shop', scope: 'things_read' }, '2s');
    expect(await status(token)).toBe(200);
    expect(await status(token)).toBe(200); // kept
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await status(token)).toBe(401);
  }, 10_000);

  it('verifies every other string again: a kept token with one signature character changed is refused', async () => {
    const token = await issuer.sign({ principal: 'guest', sub: 'g-2', tenant: 'shop', scope: 'things_read' });
    expect(await status(token)).toBe(200);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    expect(await status(`${token.slice(0, -2)}${last}${token.at(-1)}`)).toBe(401);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ principal: 'guest', sub: 'g-2', tenant: 'shop', scope: 'things_read', exp: 4_000_000_000 })).toString('base64url');
    expect(await status(`${header}.${forged}.${signature}`)).toBe(401);
  });

  it('checks the route scopes on every request, kept token or not', async () => {
    const token = await issuer.sign({ principal: 'guest', sub: 'g-3', tenant: 'shop', scope: 'other' });
    expect(await status(token)).toBe(403);
    expect(await status(token)).toBe(403);
  });
});
