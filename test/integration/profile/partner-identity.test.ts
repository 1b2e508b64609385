import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { profileWorld, type World } from './world.js';

/**
 * The creating partner is part of a partner-data object's identity: two partners whose apps happen to
 * use the same `client_id` have two separate namespaces. Neither reads, overwrites, deletes, lists,
 * shares or withdraws the other's objects, also when the tenant shares `PartnerData` with every related
 * partner (issue 9, section 1).
 */
let world: World;
beforeAll(async () => {
  world = await profileWorld();
  const shared = await call('PUT', `/profile/v1/tenants/${world.tenant}/settings`, {
    token: await world.tenantToken(),
    body: { sharedEntityTypes: ['Person', 'Party', 'PartnerData'] },
  });
  expect(shared.status).toBe(200);
}, 60_000);

const CLIENT = 'shared-client';

async function storedPartnerData(guest: string) {
  const rows = await testDynamo().send(new QueryCommand({
    TableName: tableNames.data,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': `T#${world.tenant}#GUEST#${guest}`, ':sk': 'ITEM#PartnerData#' },
    ConsistentRead: true,
  }));
  return (rows.Items ?? []).map((i) => ({ name: i.name, partnerId: i.governance.partnerId, version: i.version }));
}

describe('two partners whose apps share a client_id', () => {
  it('never read, overwrite or delete each other’s objects, and list only their own', async () => {
    const guest = await world.guest();
    const viaA = await guest.token({ partner: world.partnerA, client: CLIENT });
    const viaB = await guest.token({ partner: world.partnerB, client: CLIENT });
    expect((await call('PUT', '/profile/v1/partnerdata/list', { token: viaA, body: { of: 'A' } })).status).toBe(201);
    // B is related to the guest (its first call records the relation) and PartnerData is a shared type.
    expect((await call('GET', '/profile/v1/me', { token: viaB })).status).toBe(200);

    expect((await call('GET', '/profile/v1/partnerdata/list', { token: viaB })).status).toBe(404);
    expect((await call('DELETE', '/profile/v1/partnerdata/list', { token: viaB })).status).toBe(404);
    const listedByB = await call('GET', '/profile/v1/partnerdata', { token: viaB });
    expect(listedByB.body.items).toEqual([]);
    // B's write makes B's own object of that name; A's stays as it was.
    const written = await call('PUT', '/profile/v1/partnerdata/list', { token: viaB, body: { of: 'B' } });
    expect(written.status).toBe(201);
    expect((await call('GET', '/profile/v1/partnerdata/list', { token: viaA })).body).toEqual({ of: 'A' });
    expect((await call('GET', '/profile/v1/partnerdata/list', { token: viaB })).body).toEqual({ of: 'B' });
    expect((await call('GET', '/profile/v1/partnerdata', { token: viaA })).body.items.map((i: { data: unknown }) => i.data)).toEqual([{ of: 'A' }]);
    expect((await call('GET', '/profile/v1/partnerdata', { token: viaB })).body.items.map((i: { data: unknown }) => i.data)).toEqual([{ of: 'B' }]);
    expect((await storedPartnerData(guest.sub)).sort((x, y) => String(x.partnerId).localeCompare(String(y.partnerId)))).toEqual(
      [{ name: 'list', partnerId: world.partnerA, version: 1 }, { name: 'list', partnerId: world.partnerB, version: 1 }]
        .sort((x, y) => x.partnerId.localeCompare(y.partnerId)),
    );

    // Deleting is per partner too.
    expect((await call('DELETE', '/profile/v1/partnerdata/list', { token: viaB })).status).toBe(204);
    expect((await call('GET', '/profile/v1/partnerdata/list', { token: viaA })).body).toEqual({ of: 'A' });
    expect(await storedPartnerData(guest.sub)).toEqual([{ name: 'list', partnerId: world.partnerA, version: 1 }]);
  });

  it('never withdraw or see each other’s shares', async () => {
    const sharer = await world.guest({ givenName: 'Gina', familyName: 'Ahrens' });
    const viaA = await sharer.token({ partner: world.partnerA, client: CLIENT });
    const viaB = await sharer.token({ partner: world.partnerB, client: CLIENT });
    await call('PUT', '/profile/v1/partnerdata/list', { token: viaA, body: { of: 'A' } });
    const shared = await call('PUT', '/profile/v1/partnerdata/list/share', { token: viaA });
    expect(shared.status).toBe(201);

    expect((await call('DELETE', '/profile/v1/partnerdata/list/share', { token: viaB })).status).toBe(404);
    expect((await call('PUT', '/profile/v1/partnerdata/list/share', { token: viaB })).status).toBe(404);
    expect((await call('GET', '/profile/v1/shares', { token: viaB })).body.shares).toEqual([]);
    // A's share is still active: listed, and a friend through A's app imports it.
    const listed = await call('GET', '/profile/v1/shares', { token: viaA });
    expect(listed.body.shares.map((s: { sharingIdentifier: string }) => s.sharingIdentifier)).toEqual([shared.body.sharingIdentifier]);
    const friend = await world.guest();
    const imported = await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: await friend.token({ partner: world.partnerA, client: CLIENT }) });
    expect(imported.status).toBe(201);
    // …while a friend through B's app of the same client_id cannot.
    const other = await world.guest();
    expect((await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: await other.token({ partner: world.partnerB, client: CLIENT }) })).status).toBe(404);
    // B's own object of the same name has its own share.
    await call('PUT', '/profile/v1/partnerdata/list', { token: viaB, body: { of: 'B' } });
    const sharedByB = await call('PUT', '/profile/v1/partnerdata/list/share', { token: viaB });
    expect(sharedByB.status).toBe(201);
    expect(sharedByB.body.sharingIdentifier).not.toBe(shared.body.sharingIdentifier);
    expect((await call('DELETE', '/profile/v1/partnerdata/list/share', { token: viaB })).status).toBe(204);
    expect((await call('GET', '/profile/v1/shares', { token: viaA })).body.shares).toHaveLength(1);
  });
});
