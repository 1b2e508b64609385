import { call, tokenFor, waitFor } from '../../support/api.js';
import { ALL_PROFILE, type Guest, profileWorld, type World } from '../profile/support.js';
import { CONSENT_MANAGE, CONSENT_VIEW, scopeClaim } from '../../../shared/platform/scopes.js';

/**
 * Issue 9, the critical reproduction: callers of another tenant (or of no tenant) revoked a guest's
 * PartnerData consent through `PUT …/consents/{ref}/classes/PartnerData` and so crypto-shredded the
 * guest's data (410 for good). Each must now be refused, and the victim's consent, key and data must
 * be exactly as before.
 */
const CONSENT = scopeClaim(CONSENT_VIEW, CONSENT_MANAGE);

let victimWorld: World;
let attackerTenant: string;
let victim: Guest;
let victimRefToken: string;
const secret = { note: 'victim-secret' };

beforeAll(async () => {
  [victimWorld, { tenant: attackerTenant }] = await Promise.all([profileWorld(), profileWorld()]);
  // The victim's reference is made as world.guest() makes it, keeping the token its creation answers.
  const sub = `victim-${Date.now()}`;
  const consentToken = () => tokenFor({ principal: 'guest', tenant: victimWorld.tenant, sub, scope: CONSENT });
  const created = await call('POST', `/profile-consent/v1/${victimWorld.tenant}/consentReferences`, { token: await consentToken(), body: {} });
  expect(created.status).toBe(201);
  victimRefToken = created.body.consentReferenceToken;
  const ref = created.body.id as string;
  await waitFor(async () => (await call('GET', `/profile-consent/v1/${victimWorld.tenant}/consentReferences/${ref}`, { token: await consentToken() })).body?.status === 'active');
  victim = {
    sub,
    ref,
    consentToken,
    token: () => tokenFor({ principal: 'guest', tenant: victimWorld.tenant, sub, partner: victimWorld.partnerA, client: 'app-a', scope: ALL_PROFILE }),
  };
  expect((await call('PUT', '/profile/v1/partnerdata/diary', { token: await victim.token(), body: secret })).status).toBe(201);
}, 90_000);

async function victimState() {
  const consents = await call('GET', `/profile-consent/v1/${victimWorld.tenant}/consents/${victim.ref}`, { token: await victim.consentToken() });
  const data = await call('GET', '/profile/v1/partnerdata/diary', { token: await victim.token() });
  const history = await call('GET', `/profile-consent/v1/${victimWorld.tenant}/consents/${victim.ref}/history`, { token: await victim.consentToken() });
  return {
    consents: consents.body.map((c: { schema: string; granted: boolean; grantBlob: string }) => [c.schema, c.granted, c.grantBlob]),
    data: [data.status, data.body],
    historyLength: history.body.entries.length,
  };
}

type Attacker = [string, () => Promise<{ token: string; headers?: Record<string, string> }>];
const attackers: Attacker[] = [
  ['an administrator of another tenant naming the victim in hybris-user', async () => ({
    token: await tokenFor({ principal: 'tenant', tenant: attackerTenant, scope: CONSENT }),
    headers: { 'hybris-user': victim.sub },
  })],
  ['a guest of another tenant whose sub is the victim\'s id', async () => ({
    token: await tokenFor({ principal: 'guest', tenant: attackerTenant, sub: victim.sub, scope: CONSENT }),
  })],
  ['a partner of another tenant holding the reference token', async () => ({
    token: await tokenFor({ principal: 'partner', tenant: attackerTenant, partner: 'ABC12', scope: CONSENT }),
    headers: { 'consent-reference-token': victimRefToken },
  })],
  ['an anonymous guest of another tenant holding the reference token', async () => ({
    token: await tokenFor({ principal: 'anonymous', tenant: attackerTenant, scope: CONSENT }),
    headers: { 'consent-reference-token': victimRefToken },
  })],
  ['another signed-in guest of the same tenant, with manage scope, holding the victim\'s reference token', async () => ({
    token: await tokenFor({ principal: 'guest', tenant: victimWorld.tenant, sub: `someone-else-${Date.now()}`, scope: CONSENT }),
    headers: { 'consent-reference-token': victimRefToken },
  })],
  ['a system token', async () => ({ token: await tokenFor({ principal: 'system', sub: 'operator', scope: CONSENT }), headers: { 'hybris-user': victim.sub } })],
  ['a partner of the victim\'s own tenant naming the victim', async () => ({
    token: await tokenFor({ principal: 'partner', tenant: victimWorld.tenant, partner: victimWorld.partnerA, scope: CONSENT }),
    headers: { 'hybris-user': victim.sub },
  })],
];

describe('nobody outside the victim\'s tenant revokes (and so shreds) the victim\'s consents', () => {
  it.each(attackers)('%s is refused and changes nothing', async (_who, attacker) => {
    const before = await victimState();
    expect(before.data).toEqual([200, secret]);
    const { token, headers } = await attacker();
    for (const path of [`classes/PartnerData`, `schemas/PartnerData`]) {
      const response = await call('PUT', `/profile-consent/v1/${victimWorld.tenant}/consents/${victim.ref}/${path}`, { token, headers, body: { granted: false } });
      expect({ path, status: response.status }).toEqual({ path, status: expect.any(Number) });
      expect([403, 404]).toContain(response.status);
      expect(response.body).toEqual(expect.objectContaining({ message: expect.any(String), traceId: expect.any(String) }));
    }
    const deletion = await call('DELETE', `/profile-consent/v1/${victimWorld.tenant}/consents/${victim.ref}`, { token, headers });
    expect([403, 404]).toContain(deletion.status);
    expect(await victimState()).toEqual(before);
  });

  it('the victim\'s own tenant administrator acting for the victim still may (the trusted backend)', async () => {
    const admin = await victimWorld.tenantToken();
    const headers = { 'hybris-user': victim.sub };
    const granted = await call('PUT', `/profile-consent/v1/${victimWorld.tenant}/consents/${victim.ref}/classes/PartnerData`, { token: admin, headers, body: { granted: true } });
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual([expect.objectContaining({ schema: 'PartnerData', granted: true })]);
  });
});

describe('the reference token is an extra layer for anonymous guests only', () => {
  it('a signed-in guest holding their reference token but only the view scope cannot revoke or delete', async () => {
    const viewOnly = await tokenFor({ principal: 'guest', tenant: victimWorld.tenant, sub: victim.sub, scope: CONSENT_VIEW });
    const headers = { 'consent-reference-token': victimRefToken };
    const before = await victimState();
    const revoke = await call('PUT', `/profile-consent/v1/${victimWorld.tenant}/consents/${victim.ref}/classes/PartnerData`, { token: viewOnly, headers, body: { granted: false } });
    expect(revoke.status).toBe(403);
    expect(revoke.body.code).toBe('MissingScope');
    const deleted = await call('DELETE', `/profile-consent/v1/${victimWorld.tenant}/consents/${victim.ref}`, { token: viewOnly, headers });
    expect(deleted.status).toBe(403);
    expect(await victimState()).toEqual(before);
    // Looking stays allowed.
    expect((await call('GET', `/profile-consent/v1/${victimWorld.tenant}/consents/${victim.ref}`, { token: viewOnly, headers })).status).toBe(200);
  });

  it('an anonymous guest of the same tenant holding the token manages the reference (that is what the token is for)', async () => {
    const anonymous = await tokenFor({ principal: 'anonymous', tenant: victimWorld.tenant, scope: CONSENT_VIEW });
    const headers = { 'consent-reference-token': victimRefToken };
    const granted = await call('PUT', `/profile-consent/v1/${victimWorld.tenant}/consents/${victim.ref}/classes/PartnerData`, { token: anonymous, headers, body: { granted: true } });
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual([expect.objectContaining({ schema: 'PartnerData', granted: true })]);
  });
});
