import { requireGrantedKey } from '../../../shared/consent/data-keys.js';
import { busEvents, call, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { activeReference, BASE, enc, failure, SCHEMAS, tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests } from './support.js';

let t: TestTenant;
beforeAll(async () => {
  useLocalPlatformFromTests();
  t = await tenantWithMetamodel('blk');
});

const block = (ref: string, blocked: boolean) =>
  call('PUT', `${BASE}/${t.tenant}/consentReferences/${ref}/block`, { token: t.admin, body: { blocked } });

describe('blocking a consent reference', () => {
  it('while blocked no data can be read or written and consents cannot change; unblocking restores everything', async () => {
    const token = await t.guest('g-blk-1');
    const { ref } = await activeReference(t, token);
    const key = await requireGrantedKey(t.tenant, ref, SCHEMAS.cart);
    const sealed = key.seal('kept', { item: 'x' });
    key.dispose();
    const blocked = await block(ref, true);
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ id: ref, blocked: true });
    expect(await failure(requireGrantedKey(t.tenant, ref, SCHEMAS.cart))).toBe('ConsentReferenceBlocked');
    const change = await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(SCHEMAS.cart)}`, { token, body: { granted: false } });
    expect(change.status).toBe(423);
    expect(change.body.code).toBe('ConsentReferenceBlocked');
    expect((await call('DELETE', `${BASE}/${t.tenant}/consents/${ref}`, { token })).status).toBe(423);
    const event = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ConsentReferenceBlocked' && e.detail.consentReference === ref));
    expectInCatalogue(event);
    expect((await block(ref, false)).body.blocked).toBe(false);
    const again = await requireGrantedKey(t.tenant, ref, SCHEMAS.cart);
    expect(again.open(sealed, { item: 'x' }).toString()).toBe('kept');
    again.dispose();
  });

  it('TENANT cannot be blocked, unknown references answer 404', async () => {
    expect((await block('TENANT', true)).status).toBe(403);
    expect((await block('00000000-0000-4000-8000-000000000000', true)).status).toBe(404);
  });
});

describe('merging references (aliases)', () => {
  it('every alias works for every operation and every response names the leader, in the body and a header', async () => {
    const leaderToken = await t.guest('g-alias-1');
    const { ref: leader } = await activeReference(t, leaderToken);
    const anon = await t.anonymous();
    const { ref: alias, headers } = await activeReference(t, anon);
    const merged = await call('POST', `${BASE}/${t.tenant}/consentReferences/${leader}/aliases`, { token: t.admin, body: { aliases: [alias] } });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: leader, leadingConsentReference: leader, aliases: [alias] });
    expectInCatalogue(await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ConsentReferencesMerged' && e.detail.leadingConsentReference === leader)));

    const viaAlias = await call('GET', `${BASE}/${t.tenant}/consentReferences/${alias}`, { token: anon, headers });
    expect(viaAlias.body).toMatchObject({ id: alias, leadingConsentReference: leader });
    expect(viaAlias.headers.get('leading-consent-reference')).toBe(leader);
    const revoke = await call('PUT', `${BASE}/${t.tenant}/consents/${alias}/schemas/${enc(SCHEMAS.cart)}`, { token: leaderToken, body: { granted: false } });
    expect(revoke.status).toBe(200);
    expect(revoke.body.leadingConsentReference).toBe(leader);
    expect(revoke.headers.get('leading-consent-reference')).toBe(leader);
    const leaderView = await call('GET', `${BASE}/${t.tenant}/consents/${leader}/schemas/${enc(SCHEMAS.cart)}`, { token: leaderToken });
    expect(leaderView.body.granted).toBe(false);
    const listed = await call('GET', `${BASE}/${t.tenant}/consents/${alias}`, { token: anon, headers });
    expect(listed.headers.get('leading-consent-reference')).toBe(leader);
    expect(listed.body.every((c: { leadingConsentReference: string }) => c.leadingConsentReference === leader)).toBe(true);
    const key = await requireGrantedKey(t.tenant, alias, SCHEMAS.productViews);
    expect(key.consentReference).toBe(leader);
    key.dispose();
  });

  it('a merged reference cannot be merged into a second leader (409), merging it again into its leader is harmless', async () => {
    const [a, b, c] = await Promise.all(['g-alias-a', 'g-alias-b', 'g-alias-c'].map(async (sub) => (await activeReference(t, await t.guest(sub))).ref));
    const merge = (leader: string, aliases: string[]) => call('POST', `${BASE}/${t.tenant}/consentReferences/${leader}/aliases`, { token: t.admin, body: { aliases } });
    expect((await merge(a, [b])).status).toBe(200);
    expect((await merge(a, [b])).status).toBe(200);
    const second = await merge(c, [b]);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'ConsentReferenceAlreadyMerged', message: expect.stringContaining(a) });
    const intoAlias = await merge(b, [c]);
    expect(intoAlias.status).toBe(409);
    expect((await merge(a, [a])).status).toBe(400);
    expect((await merge(a, ['TENANT'])).status).toBe(403);
  });
});
