import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { busEvents, call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { useLocalPlatformFromTests } from '../consent/support.js';
import { profileWorld, type World } from './support.js';

/**
 * A consent reference deleted through the consent API took its keys along; profile's consumer of
 * `ConsentReferenceDeleted` erases the guest's data sealed under it (items, their shares, import
 * pointers of deleted copies), once, and nothing the guest wrote since under a new reference.
 */
let world: World;
beforeAll(async () => {
  useLocalPlatformFromTests();
  world = await profileWorld();
}, 60_000);

afterAll(async () => {
  const { dynamoClient, kmsClient } = await import('../../../shared/platform/clients.js');
  dynamoClient().destroy();
  kmsClient().destroy();
});

const partitionRows = async (guest: string) =>
  (await testDynamo().send(new QueryCommand({
    TableName: tableNames.data, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `T#${world.tenant}#GUEST#${guest}` },
  }))).Items ?? [];
const dataRows = (rows: Array<Record<string, unknown>>) => rows.filter((r) => /^(ITEM|SHARE|IMPORTED)#/.test(String(r.SK)));

describe('deleting a consent reference through the consent API', () => {
  it('erases the profile data sealed under it, withdraws its shares, and announces both events', async () => {
    const guest = await world.guest({ givenName: 'Dora', familyName: 'Delete' });
    const token = await guest.token();
    await call('PUT', '/profile/v1/me', { token, body: { givenName: 'Dora' } });
    await call('PUT', '/profile/v1/partnerdata/fav', { token, body: { n: 1 } });
    const shared = await call('PUT', '/profile/v1/partnerdata/fav/share', { token });
    const sharer = await world.guest({ givenName: 'Sam', familyName: 'Sharer' });
    await call('PUT', '/profile/v1/partnerdata/tip', { token: await sharer.token(), body: { t: 1 } });
    const tip = await call('PUT', '/profile/v1/partnerdata/tip/share', { token: await sharer.token() });
    expect((await call('PUT', `/profile/v1/import/${tip.body.sharingIdentifier}`, { token })).status).toBe(201);
    expect(dataRows(await partitionRows(guest.sub)).length).toBe(5); // Person, fav, tip-ss, share pointer, import pointer

    const deleted = await call('DELETE', `/profile-consent/v1/${world.tenant}/consents/${guest.ref}`, { token: await guest.consentToken() });
    expect(deleted.status).toBe(204);
    const event = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ConsentReferenceDeleted' && e.detail.id === guest.ref));
    expectInCatalogue(event);
    expect(event.detail.users).toEqual([guest.sub]);

    await waitFor(async () => dataRows(await partitionRows(guest.sub)).length === 0);
    const erased = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ProfileErased' && e.detail.guest === guest.sub));
    expectInCatalogue(erased);
    expect(erased.detail).toMatchObject({ consentReference: guest.ref, itemsDeleted: 3, sharesWithdrawn: 1, cause: 'consentReferenceDeleted' });
    const friend = await world.guest();
    expect((await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: await friend.token() })).status).toBe(404);
    // The sharer's own share is untouched: only the guest's import pointer and import record went.
    expect((await call('GET', '/profile/v1/shares', { token: await sharer.token() })).body.shares[0].importedBy).toEqual([]);
  });

  it('is idempotent and leaves data written under a new reference alone', async () => {
    const { eraseReferenceData } = await import('../../../shared/profile/erasure.js');
    const guest = await world.guest();
    const token = await guest.token();
    await call('PUT', '/profile/v1/partnerdata/old', { token, body: { n: 1 } });
    expect((await call('DELETE', `/profile-consent/v1/${world.tenant}/consents/${guest.ref}`, { token: await guest.consentToken() })).status).toBe(204);
    await waitFor(async () => dataRows(await partitionRows(guest.sub)).length === 0);

    const again = await call('POST', `/profile-consent/v1/${world.tenant}/consentReferences`, { token: await guest.consentToken(), body: {} });
    expect(again.body.id).not.toBe(guest.ref);
    await waitFor(async () => (await call('GET', `/profile-consent/v1/${world.tenant}/consentReferences/${again.body.id}`, { token: await guest.consentToken() })).body?.status === 'active');
    expect((await call('PUT', '/profile/v1/partnerdata/new', { token, body: { n: 2 } })).status).toBe(201);

    // A redelivery of the old deletion: nothing to erase, nothing written, nothing announced.
    expect(await eraseReferenceData(world.tenant, guest.sub, [guest.ref])).toEqual({ itemsDeleted: 0, sharesWithdrawn: 0 });
    expect((await call('GET', '/profile/v1/partnerdata/new', { token })).body).toEqual({ n: 2 });
  });

  it('never deletes what the guest wrote under a new reference between the consumer\'s read and its write', async () => {
    const { applyErasure, eraseReferenceData, planReferenceErasure } = await import('../../../shared/profile/erasure.js');
    const { ConditionFailed } = await import('../../../shared/platform/table/index.js');
    const guest = await world.guest();
    const token = await guest.token();
    await call('PUT', '/profile/v1/partnerdata/fav', { token, body: { n: 1 } });
    await call('PUT', '/profile/v1/partnerdata/gone', { token, body: { n: 1 } });

    // 1. The consumer reads what is sealed under the reference.
    const stale = await planReferenceErasure(world.tenant, guest.sub, [guest.ref]);
    expect(stale.writes.filter((w) => w.counts === 'item')).toHaveLength(2);
    // 2. Meanwhile the reference is deleted (and its data erased), the guest takes a new reference and
    //    stores the same object again, under the new keys.
    expect((await call('DELETE', `/profile-consent/v1/${world.tenant}/consents/${guest.ref}`, { token: await guest.consentToken() })).status).toBe(204);
    await waitFor(async () => dataRows(await partitionRows(guest.sub)).length === 0);
    const again = await call('POST', `/profile-consent/v1/${world.tenant}/consentReferences`, { token: await guest.consentToken(), body: {} });
    await waitFor(async () => (await call('GET', `/profile-consent/v1/${world.tenant}/consentReferences/${again.body.id}`, { token: await guest.consentToken() })).body?.status === 'active');
    expect((await call('PUT', '/profile/v1/partnerdata/fav', { token, body: { n: 2 } })).status).toBe(201);

    // 3. The consumer's write, decided on its old read, must not delete the new object.
    await expect(applyErasure(stale)).rejects.toBeInstanceOf(ConditionFailed);
    expect((await call('GET', '/profile/v1/partnerdata/fav', { token })).body).toEqual({ n: 2 });
    // ...and deciding again (the consumer's retry) finds nothing left under the old reference.
    expect(await eraseReferenceData(world.tenant, guest.sub, [guest.ref])).toEqual({ itemsDeleted: 0, sharesWithdrawn: 0 });
    expect((await call('GET', '/profile/v1/partnerdata/fav', { token })).body).toEqual({ n: 2 });
  });
});
