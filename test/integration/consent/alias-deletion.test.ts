import { requireGrantedKey } from '../../../shared/consent/data-keys.js';
import { deleteUserReference } from '../../../shared/consent/deletion.js';
import { busEvents, call, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { activeReference, BASE, keyRows, mergeReferences, SCHEMAS, tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests } from './support.js';

/**
 * Deleting through an alias deletes only the alias (its consents, keys and user claim) and detaches it
 * from its leader; only the leader's owner (or the tenant) deletes the merged whole. So the owner of a
 * merged-in reference can never shred the leading user's data.
 */
let t: TestTenant;
beforeAll(async () => {
  useLocalPlatformFromTests();
  t = await tenantWithMetamodel('adel');
});

const remove = (ref: string, token: string) => call('DELETE', `${BASE}/${t.tenant}/consents/${ref}`, { token });
const reference = (ref: string, token: string) => call('GET', `${BASE}/${t.tenant}/consentReferences/${ref}`, { token });

async function merged(prefix: string) {
  const leaderToken = await t.guest(`${prefix}-leader`);
  const aliasToken = await t.guest(`${prefix}-alias`);
  const { ref: leader } = await activeReference(t, leaderToken);
  const { ref: alias } = await activeReference(t, aliasToken);
  expect((await mergeReferences(t.tenant, t.admin, leader, [alias])).status).toBe(200);
  return { leader, alias, leaderToken, aliasToken };
}

async function expectLeaderIntact(leader: string, leaderToken: string) {
  const view = await reference(leader, leaderToken);
  expect(view.status).toBe(200);
  expect(view.body).toMatchObject({ id: leader, status: 'active', aliases: [] });
  const key = await requireGrantedKey(t.tenant, leader, SCHEMAS.cart);
  key.dispose();
  const history = await call('GET', `${BASE}/${t.tenant}/consents/${leader}/history`, { token: leaderToken });
  expect(history.body.verification.valid).toBe(true);
  return history.body.entries.at(-1);
}

describe('deleting a merged reference', () => {
  it("the alias's owner deletes only the alias: the leader and its keys stay, the alias is detached", async () => {
    const { leader, alias, leaderToken, aliasToken } = await merged('g-adel-1');
    expect((await remove(leader, aliasToken)).status).toBe(404); // the leader itself is not theirs to see
    const deleted = await remove(alias, aliasToken);
    expect(deleted.status).toBe(204);
    expect(deleted.headers.get('leading-consent-reference')).toBe(leader);

    expect(await expectLeaderIntact(leader, leaderToken)).toMatchObject({ action: 'detached', references: [alias] });
    expect((await reference(alias, t.admin)).status).toBe(404);
    expect(await keyRows(t.tenant, alias)).toEqual([]);
    expect((await keyRows(t.tenant, leader)).length).toBeGreaterThan(1);
    const event = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ConsentReferenceDeleted' && e.detail.id === alias));
    expectInCatalogue(event);
    expect(event.detail).toMatchObject({ consentReference: alias, aliases: [], users: ['g-adel-1-alias'] });
    // The alias's user is free to get a reference of their own again.
    const again = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: aliasToken });
    expect(again.status).toBe(201);
  });

  it("the leader's owner cannot delete another user's alias (403), but deletes the merged whole through the leader", async () => {
    const { leader, alias, leaderToken } = await merged('g-adel-2');
    const refused = await remove(alias, leaderToken);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NotReferenceOwner');
    expect((await remove(leader, leaderToken)).status).toBe(204);
    expect((await reference(leader, t.admin)).status).toBe(404);
    expect((await reference(alias, t.admin)).status).toBe(404);
    expect([...(await keyRows(t.tenant, leader)), ...(await keyRows(t.tenant, alias))]).toEqual([]);
    const event = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ConsentReferenceDeleted' && e.detail.id === leader));
    expect(event.detail).toMatchObject({ aliases: [alias], users: expect.arrayContaining(['g-adel-2-leader', 'g-adel-2-alias']) });
  });

  it("erasing an alias's user (profile's DELETE /me) deletes only their alias", async () => {
    const { leader, alias, leaderToken } = await merged('g-adel-3');
    expect(await deleteUserReference(t.tenant, 'g-adel-3-alias')).toEqual({ leadingConsentReference: leader });
    expect((await reference(alias, t.admin)).status).toBe(404);
    expect(await keyRows(t.tenant, alias)).toEqual([]);
    await expectLeaderIntact(leader, leaderToken);
  });

  it('the tenant deleting an alias also deletes only the alias', async () => {
    const { leader, alias, leaderToken } = await merged('g-adel-4');
    expect((await remove(alias, t.admin)).status).toBe(204);
    expect((await reference(alias, t.admin)).status).toBe(404);
    await expectLeaderIntact(leader, leaderToken);
  });
});
