import { call, tokenFor } from '../../support/api.js';
import { ALL_PROFILE, type Guest, profileWorld, type World } from './support.js';

let world: World;
let guest: Guest;
let token: string;

beforeAll(async () => {
  world = await profileWorld();
  guest = await world.guest();
  token = await guest.token();
}, 60_000);

const nothingStored = async () => {
  const listed = await call('GET', '/profile/v1/partnerdata', { token });
  expect(listed.body.items).toEqual([]);
};

describe('bad input gets a clear 4xx and writes nothing', () => {
  it.each([
    ['an encoded slash', 'a%2Fb'],
    ['a hash', 'a%23b'],
    ['a leading dot', '.hidden'],
    ['a backslash', 'a%5Cb'],
    ['a space', 'a%20b'],
    ['a name too long', 'x'.repeat(129)],
  ])('rejects a name with %s (400)', async (_what, name) => {
    const response = await call('PUT', `/profile/v1/partnerdata/${name}`, { token, body: { a: 1 } });
    expect(response.status).toBe(400);
    expect(response.body.details.fields[0].field).toBe('path.name');
    await nothingStored();
  });

  it('rejects an object over 64 KiB (413) and accepts one just under it', async () => {
    const over = await call('PUT', '/profile/v1/partnerdata/big', { token, body: { blob: 'x'.repeat(64 * 1024) } });
    expect(over.status).toBe(413);
    expect(over.body.message).toMatch(/65536|bytes/);
    await nothingStored();
    const under = await call('PUT', '/profile/v1/partnerdata/big', { token, body: { blob: 'x'.repeat(64 * 1024 - 20) } });
    expect(under.status).toBe(201);
    expect((await call('DELETE', '/profile/v1/partnerdata/big', { token })).status).toBe(204);
  });

  it('rejects malformed JSON, a body that is not JSON, and JSON that is not an object or array (400)', async () => {
    const malformed = await call('PUT', '/profile/v1/partnerdata/x', { token, rawBody: '{"a": 1' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MalformedJson');
    const text = await call('PUT', '/profile/v1/partnerdata/x', { token, rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(400);
    for (const scalar of ['"just a string"', '42', 'null', 'true']) {
      expect((await call('PUT', '/profile/v1/partnerdata/x', { token, rawBody: scalar })).status).toBe(400);
    }
    await nothingStored();
  });

  it('rejects a bad share request: unknown object 404, past expiry, zero or fractional maxImports, unknown fields 400', async () => {
    expect((await call('PUT', '/profile/v1/partnerdata/nothing/share', { token })).status).toBe(404);
    await call('PUT', '/profile/v1/partnerdata/real', { token, body: { a: 1 } });
    for (const body of [{ maxImports: 0 }, { maxImports: 1.5 }, { expiresAt: 'tomorrow' }, { expiresAt: '2000-01-01T00:00:00Z' }, { everyone: true }]) {
      const response = await call('PUT', '/profile/v1/partnerdata/real/share', { token, body });
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    expect((await call('GET', '/profile/v1/shares', { token })).body.shares).toEqual([]);
    expect((await call('DELETE', '/profile/v1/partnerdata/real/share', { token })).status).toBe(404);
  });

  it('rejects a malformed prefix, limit or page cursor (400)', async () => {
    for (const query of ['prefix=a%2Fb', 'limit=0', 'limit=101', 'limit=abc', 'next=%24%24']) {
      const response = await call('GET', `/profile/v1/partnerdata?${query}`, { token });
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
  });

  it.each([
    ['a subject of 2100 characters', { sub: 'g'.repeat(2100) }, "The token's sub", 'InvalidUserId'],
    ['a subject of 257 characters', { sub: 'g'.repeat(257) }, "The token's sub", 'InvalidUserId'],
    ['a subject with a control character', { sub: 'g\u00001' }, "The token's sub", 'InvalidUserId'],
    ['a client_id of 2000 characters', { client: 'c'.repeat(2000) }, "The token's client_id", 'InvalidTokenClaim'],
    ['a client_id with a #', { client: 'app-a#x' }, "The token's client_id", 'InvalidTokenClaim'],
    ['a partner_id of 200 characters', { partner: 'P'.repeat(200) }, "The token's partner_id", 'InvalidTokenClaim'],
  ])('refuses a guest token with %s on every guest endpoint (400, never 500)', async (_what, claims, message, code) => {
    const bad = await tokenFor({ principal: 'guest', tenant: world.tenant, sub: guest.sub, partner: world.partnerA, client: 'app-a', scope: ALL_PROFILE, ...claims });
    for (const [method, path, body] of [
      ['GET', '/profile/v1/me'],
      ['PUT', '/profile/v1/me', { givenName: 'Long' }],
      ['GET', '/profile/v1/partnerdata/x'],
      ['PUT', '/profile/v1/partnerdata/x', { a: 1 }],
      ['GET', '/profile/v1/partnerdata?prefix='],
      ['PUT', '/profile/v1/import/00000000-0000-4000-8000-000000000000'],
      ['GET', '/profile/v1/shares'],
      ['DELETE', `/profile/v1/me/relations/${world.partnerA}`],
      ['DELETE', '/profile/v1/me'],
    ] as const) {
      const response = await call(method, path, { token: bad, body });
      expect({ method, path, status: response.status, code: response.body?.code }).toEqual({ method, path, status: 400, code });
      expect(response.body.message).toContain(message);
    }
  });

  it('accepts a subject of 256 characters, the longest a user id may be', async () => {
    const longest = await tokenFor({ principal: 'guest', tenant: world.tenant, sub: 'g'.repeat(256), partner: world.partnerA, client: 'app-a', scope: ALL_PROFILE });
    expect((await call('GET', '/profile/v1/me', { token: longest })).body.code).toBe('ConsentReferenceNotFound'); // a valid id without a reference
  });

  it('refuses an over-long subject on the platform pages too (export, access)', async () => {
    const bad = await tokenFor({ principal: 'guest', tenant: world.tenant, sub: 'g'.repeat(2100), scope: ALL_PROFILE });
    for (const path of ['/profile/v1/me/export', '/profile/v1/me/access', '/profile/v1/me']) {
      expect({ path, status: (await call('GET', path, { token: bad })).status }).toEqual({ path, status: 400 });
    }
  });

  it('rejects an unknown partner in the token: a partner must be registered in the tenant', async () => {
    const stranger = await guest.token({ partner: 'ZZZ99', client: 'app-z' });
    const response = await call('PUT', '/profile/v1/partnerdata/x', { token: stranger, body: { a: 1 } });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('PartnerNotRegistered');
  });
});
