import { call, tokenFor } from '../../support/api.js';
import { profileWorld, type World } from './support.js';
import { PARTNER_SCOPES as SCOPES, scopeClaim } from '../../../shared/platform/scopes.js';

/**
 * "The partner must be registered": a partner is refused (403 `PartnerNotRegistered`) when it or any of
 * its ancestors is locked (`gesperrt`, the partner context's rule), decided on the rows read with the call
 * (a lock or a move below a locked parent applies to the very next request).
 */
let world: World;
let adminToken: string;

const PARTNER_SCOPES = scopeClaim(SCOPES.anlegen, SCOPES.lesen, SCOPES.schreiben);

async function createBelow(parent: string, body: Record<string, unknown>): Promise<string> {
  const response = await call('POST', `/v2/partner/${parent}/untergeordnete`, { token: adminToken, body });
  if (response.status !== 201) throw new Error(`create below ${parent}: ${response.status} ${response.text}`);
  return response.body.partnerId as string;
}

async function lock(partnerId: string, gesperrt: boolean): Promise<void> {
  const response = await call('PATCH', `/v2/partner/${partnerId}`, { token: adminToken, body: { gesperrt } });
  expect({ partnerId, status: response.status, gesperrt: response.body?.gesperrt }).toEqual({ partnerId, status: 200, gesperrt });
}

beforeAll(async () => {
  world = await profileWorld();
  adminToken = await tokenFor({ principal: 'partner', tenant: world.tenant, partner: world.partnerB, sub: `user-${world.partnerB}`, client: 'app-1', scope: PARTNER_SCOPES });
}, 60_000);

describe('a partner below a locked parent reaches no guest data', () => {
  it('locking an ancestor refuses the whole subtree at once (403 PartnerNotRegistered); unlocking restores it', async () => {
    const org = await createBelow(world.partnerA, { typ: 'ORGANISATION', name: 'Comics Nord' });
    const child = await createBelow(org, { typ: 'ORGANISATION', name: 'Filiale Kiel' });
    const grandchild = await createBelow(child, { typ: 'PERSON', vorname: 'Mia', nachname: 'Test' });
    const guest = await world.guest();
    const viaChild = await guest.token({ partner: child, client: 'app-kiel' });
    const viaGrandchild = await guest.token({ partner: grandchild, client: 'app-mia' });
    expect((await call('PUT', '/profile/v1/me', { token: viaChild, body: { givenName: 'Gina' } })).status).toBe(201);
    expect((await call('PUT', '/profile/v1/partnerdata/cart', { token: viaChild, body: { n: 1 } })).status).toBe(201);
    expect((await call('GET', '/profile/v1/me', { token: viaGrandchild })).status).toBe(200);

    await lock(org, true);
    for (const token of [viaChild, viaGrandchild]) {
      for (const [method, path, body] of [
        ['GET', '/profile/v1/me'],
        ['PUT', '/profile/v1/me', { givenName: 'Mallory' }],
        ['GET', '/profile/v1/partnerdata/cart'],
        ['GET', '/profile/v1/partnerdata?prefix='],
        ['PUT', '/profile/v1/partnerdata/cart', { n: 2 }],
      ] as const) {
        const response = await call(method, path, { token, body });
        expect({ method, path, status: response.status, code: response.body?.code }).toEqual({ method, path, status: 403, code: 'PartnerNotRegistered' });
        expect(response.text).not.toContain('Gina');
      }
    }
    // The root and its other children are untouched.
    expect((await call('GET', '/profile/v1/me', { token: await guest.token() })).status).toBe(200);

    await lock(org, false);
    expect((await call('GET', '/profile/v1/me', { token: viaGrandchild })).body.profile).toEqual({ givenName: 'Gina' });
    expect((await call('GET', '/profile/v1/partnerdata/cart', { token: viaChild })).body).toEqual({ n: 1 });

    await lock(child, true); // its own lock, and its subtree
    expect((await call('GET', '/profile/v1/me', { token: viaChild })).status).toBe(403);
    expect((await call('GET', '/profile/v1/me', { token: viaGrandchild })).status).toBe(403);
    await lock(child, false);
  });

  it('a partner moved below another parent is judged by its new ancestors on its very next call', async () => {
    const target = await createBelow(world.partnerA, { typ: 'ORGANISATION', name: 'Ziel GmbH' });
    const free = await createBelow(world.partnerA, { typ: 'ORGANISATION', name: 'Frei GmbH' });
    const team = await createBelow(free, { typ: 'ORGANISATION', name: 'Team' });
    const guest = await world.guest();
    const viaTeam = await guest.token({ partner: team, client: 'app-team' });
    expect((await call('GET', '/profile/v1/me', { token: viaTeam })).status).toBe(200); // the platform knows team's old path

    const moved = await call('PUT', `/v2/partner/${team}/parent`, { token: adminToken, body: { partnerId: target } });
    expect({ status: moved.status, text: moved.status === 200 ? '' : moved.text }).toEqual({ status: 200, text: '' });
    await lock(target, true);
    const response = await call('GET', '/profile/v1/me', { token: viaTeam });
    expect({ status: response.status, code: response.body?.code }).toEqual({ status: 403, code: 'PartnerNotRegistered' });
    await lock(free, true); // the old parent no longer matters
    await lock(target, false);
    expect((await call('GET', '/profile/v1/me', { token: viaTeam })).status).toBe(200);
  });
});
