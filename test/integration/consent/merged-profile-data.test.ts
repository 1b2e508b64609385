import { call } from '../../support/api.js';
import { profileWorld, type World } from '../profile/support.js';
import { keyRows, mergeReferences } from './support.js';

/**
 * Issue 10, decision 0204: a merge keeps the merged profile's data. Data a guest wrote under their own
 * reference before it was merged into another one stays readable through the alias (the guest's own
 * calls now resolve to the leader) while the leader grants the schema, until a revoke on the merged
 * profile shreds it; what the leader does not grant is shredded by the merge itself, and every error
 * names what really happened.
 */
let world: World;
beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

const BASE = '/profile-consent/v1';

describe('merging a guest’s reference into another', () => {
  it('keeps the alias’s earlier partner data and /me readable through the alias, until a revoke on the merged profile', async () => {
    const x = await world.guest();
    const y = await world.guest();
    const token = await x.token();
    expect((await call('PUT', '/profile/v1/partnerdata/before', { token, body: { v: 1 } })).status).toBe(201);
    expect((await call('PUT', '/profile/v1/me', { token, body: { givenName: 'Xenia' } })).status).toBe(201);

    expect((await mergeReferences(world.tenant, await world.tenantToken(), y.ref, [x.ref])).status).toBe(200);

    const read = await call('GET', '/profile/v1/partnerdata/before', { token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ v: 1 });
    const me = await call('GET', '/profile/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.profile).toEqual({ givenName: 'Xenia' });
    const listed = await call('GET', '/profile/v1/partnerdata', { token });
    expect(listed.body.items.map((i: { name: string; unreadable?: string }) => [i.name, i.unreadable])).toEqual([['before', undefined]]);
    // Sharing it is a clear 409 (write it again first), never a 410 claiming a revoke; written again, it shares.
    const share = await call('PUT', '/profile/v1/partnerdata/before/share', { token });
    expect(share.status).toBe(409);
    expect(share.body.code).toBe('SealedBeforeMerge');
    expect(share.body.message).not.toMatch(/revoke|destroyed/);
    expect((await call('PUT', '/profile/v1/partnerdata/before', { token, body: { v: 1 } })).status).toBe(200);
    expect((await call('PUT', '/profile/v1/partnerdata/before/share', { token })).status).toBe(201);
    // New data of the merged profile is sealed under the leader and readable too.
    expect((await call('PUT', '/profile/v1/partnerdata/after', { token, body: { v: 2 } })).status).toBe(201);
    expect((await call('GET', '/profile/v1/partnerdata/after', { token })).body).toEqual({ v: 2 });

    // A revoke on the merged profile (through the leader) shreds the alias's key as well.
    expect((await world.setConsent(y, 'PartnerData', false)).status).toBe(200);
    expect(await keyRows(world.tenant, x.ref)).not.toContain('SCHEMAKEY#PartnerData');
    const gone = await call('GET', '/profile/v1/partnerdata/before', { token });
    expect(gone.status).toBe(410);
    expect(gone.body.message).toMatch(/revoked/);
    // Granting again never brings it back, and the error does not pretend it is readable.
    expect((await world.setConsent(y, 'PartnerData', true)).status).toBe(200);
    const still = await call('GET', '/profile/v1/partnerdata/before', { token });
    expect(still.status).toBe(410);
    expect((await call('GET', '/profile/v1/me', { token })).body.profile).toEqual({ givenName: 'Xenia' });
  });

  it('keeps the leader’s consent and shreds at the merge the alias keys of schemas the leader does not grant; the error says so', async () => {
    const x = await world.guest();
    const y = await world.guest();
    const token = await x.token();
    expect((await call('PUT', '/profile/v1/partnerdata/secret', { token, body: { s: 1 } })).status).toBe(201);
    expect((await call('PUT', '/profile/v1/me', { token, body: { givenName: 'Xaver' } })).status).toBe(201);
    expect((await world.setConsent(y, 'PartnerData', false)).status).toBe(200);
    expect(await keyRows(world.tenant, x.ref)).toContain('SCHEMAKEY#PartnerData');

    expect((await mergeReferences(world.tenant, await world.tenantToken(), y.ref, [x.ref])).status).toBe(200);

    // In the merge's transaction: the alias's PartnerData key is gone, its Person key (granted by the leader) stays.
    const left = await keyRows(world.tenant, x.ref);
    expect(left).not.toContain('SCHEMAKEY#PartnerData');
    expect(left).toContain('SCHEMAKEY#Person');
    const consents = await call('GET', `${BASE}/${world.tenant}/consents/${x.ref}`, { token: await x.consentToken() });
    expect(consents.body.find((c: { schema: string }) => c.schema === 'PartnerData')).toMatchObject({ granted: false, leadingConsentReference: y.ref });
    // The guest's export states the consents that govern the data: the leader's, naming it.
    const exported = await call('GET', '/profile/v1/me/export', { token: await x.token({ noPartner: true }) });
    expect(exported.status).toBe(200);
    expect(exported.body.consent).toMatchObject({ consentReference: x.ref, leadingConsentReference: y.ref });
    expect(exported.body.consent.consents.find((c: { schema: string }) => c.schema === 'PartnerData')).toMatchObject({ granted: false });

    const atOnce = await call('GET', '/profile/v1/partnerdata/secret', { token });
    expect(atOnce.status).toBe(410);
    expect(atOnce.body.code).toBe('ConsentKeyDestroyed');
    // Granting on the merged profile later does not bring it back.
    expect((await world.setConsent(y, 'PartnerData', true)).status).toBe(200);
    const shredded = await call('GET', '/profile/v1/partnerdata/secret', { token });
    expect(shredded.status).toBe(410);
    expect(shredded.body).toMatchObject({ code: 'ConsentKeyDestroyed', details: { reason: 'merged' } });
    expect(shredded.body.message).toMatch(/merged/);
    expect(shredded.body.message).not.toMatch(/revoke/);
    expect((await call('GET', '/profile/v1/me', { token })).body.profile).toEqual({ givenName: 'Xaver' });
  });
});
