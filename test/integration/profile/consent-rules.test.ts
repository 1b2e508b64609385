import { call, tokenFor } from '../../support/api.js';
import { profileWorld, type World } from './support.js';
import { DATA_READ } from '../../../shared/platform/scopes.js';

let world: World;
beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

describe('profile data lives under the guest’s consent', () => {
  it('after a revoke old items say 410 with the reason, new writes are refused, and a new grant never brings old data back', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    expect((await call('PUT', '/profile/v1/partnerdata/old', { token, body: { v: 1 } })).status).toBe(201);

    expect((await world.setConsent(guest, 'PartnerData', false)).status).toBe(200);
    const revoked = await call('GET', '/profile/v1/partnerdata/old', { token });
    expect(revoked.status).toBe(410);
    expect(revoked.body).toMatchObject({ code: 'ConsentRevoked', message: expect.stringContaining('revoked') });
    const refused = await call('PUT', '/profile/v1/partnerdata/new', { token, body: { v: 2 } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ConsentNotGranted');
    expect((await call('GET', '/profile/v1/partnerdata/new', { token })).status).toBe(404);

    expect((await world.setConsent(guest, 'PartnerData', true)).status).toBe(200);
    const destroyed = await call('GET', '/profile/v1/partnerdata/old', { token });
    expect(destroyed.status).toBe(410);
    expect(destroyed.body.code).toBe('KeyDestroyed');
    expect((await call('PUT', '/profile/v1/partnerdata/new', { token, body: { v: 3 } })).status).toBe(201);
    expect((await call('GET', '/profile/v1/partnerdata/new', { token })).body).toEqual({ v: 3 });
    const listed = await call('GET', '/profile/v1/partnerdata', { token });
    expect(listed.body.items.map((i: { name: string; unreadable?: string }) => [i.name, i.unreadable])).toEqual([['new', undefined], ['old', 'KeyDestroyed']]);
    // The guest may still delete what can no longer be read.
    expect((await call('DELETE', '/profile/v1/partnerdata/old', { token })).status).toBe(204);
  });

  it('a blocked reference can neither be read nor written (423), and unblocking restores everything', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    await call('PUT', '/profile/v1/partnerdata/kept', { token, body: { v: 1 } });
    expect((await world.block(guest, true)).status).toBe(200);
    expect((await call('GET', '/profile/v1/partnerdata/kept', { token })).status).toBe(423);
    expect((await call('PUT', '/profile/v1/partnerdata/kept', { token, body: { v: 2 } })).status).toBe(423);
    expect((await call('GET', '/profile/v1/me', { token })).status).toBe(423);
    expect((await world.block(guest, false)).status).toBe(200);
    expect((await call('GET', '/profile/v1/partnerdata/kept', { token })).body).toEqual({ v: 1 });
  });

  it('a guest without a consent reference gets a clear 404', async () => {
    const token = await tokenFor({ principal: 'guest', tenant: world.tenant, sub: 'never-consented', partner: world.partnerA, client: 'app-a', scope: DATA_READ });
    const response = await call('GET', '/profile/v1/me', { token });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('ConsentReferenceNotFound');
  });
});

describe('the guest’s profile (GET|PUT /profile/v1/me) and who sees it', () => {
  it('stores the profile as a Person item and shows it to every partner the guest has a relation with', async () => {
    const guest = await world.guest();
    const viaA = await guest.token();
    const empty = await call('GET', '/profile/v1/me', { token: viaA });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ id: guest.sub, tenant: world.tenant, consentReference: guest.ref, profile: {} });

    const profile = { givenName: 'Gina', familyName: 'Ahrens', email: 'gina@example.org' };
    expect((await call('PUT', '/profile/v1/me', { token: viaA, body: profile })).status).toBe(201);
    expect((await call('GET', '/profile/v1/me', { token: viaA })).body.profile).toEqual(profile);

    // Partner B's app: the first signed-in call records the relation and the shared type is visible.
    const viaB = await guest.token({ partner: world.partnerB, client: 'app-b' });
    expect((await call('GET', '/profile/v1/me', { token: viaB })).body.profile).toEqual(profile);
    // …but partner A's partner data stays with partner A's app.
    await call('PUT', '/profile/v1/partnerdata/onlyA', { token: viaA, body: { a: 1 } });
    expect((await call('GET', '/profile/v1/partnerdata/onlyA', { token: viaB })).status).toBe(404);
    expect((await call('GET', '/profile/v1/partnerdata/onlyA', { token: await guest.token({ client: 'app-a2' }) })).status).toBe(404);
  });

  it('rejects unknown or malformed profile fields and writes nothing', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    const response = await call('PUT', '/profile/v1/me', { token, body: { givenName: 'A', shoeSize: 44, email: 'nope' } });
    expect(response.status).toBe(400);
    expect(response.body.details.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['body.email']));
    expect((await call('GET', '/profile/v1/me', { token })).body.profile).toEqual({});
  });

  it('needs the Person consent to store the profile', async () => {
    const guest = await world.guest();
    await world.setConsent(guest, 'Person', false);
    const response = await call('PUT', '/profile/v1/me', { token: await guest.token(), body: { givenName: 'Gina' } });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('ConsentNotGranted');
  });
});
