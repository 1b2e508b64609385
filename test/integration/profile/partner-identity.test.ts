import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { profileWorld, type World } from './support.js';

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

describe('objects and share pointers written before the partner was part of the key (decision 0302)', () => {
  it('stay reachable by their creating partner only', async () => {
    const guest = await world.guest();
    const viaA = await guest.token({ partner: world.partnerA, client: CLIENT });
    const viaB = await guest.token({ partner: world.partnerB, client: CLIENT });
    expect((await call('PUT', '/profile/v1/partnerdata/seed', { token: viaA, body: { of: 'A' } })).status).toBe(201);
    const pk = `T#${world.tenant}#GUEST#${guest.sub}`;
    const current = (await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: { PK: pk, SK: `ITEM#PartnerData#${world.partnerA}#${CLIENT}#seed` } }))).Item!;
    // An old item of A: keyed by the app alone, no recorded scope, sealed under a grant that is gone (so it reads 410).
    const { scope: _scope, ...old } = current;
    const legacySk = `ITEM#PartnerData#${CLIENT}#old`;
    await testDynamo().send(new PutCommand({
      TableName: tableNames.data,
      Item: { ...old, SK: legacySk, name: 'old', id: randomUUID(), sealedWith: { ...current.sealedWith, grantBlob: 'an-earlier-grant' } },
    }));
    const legacyNow = async () => (await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: { PK: pk, SK: legacySk } }))).Item;
    const before = await legacyNow();

    // A finds it (410: its key is gone), B with the same client_id does not.
    const readByA = await call('GET', '/profile/v1/partnerdata/old', { token: viaA });
    expect({ status: readByA.status, code: readByA.body.code }).toEqual({ status: 410, code: 'KeyDestroyed' });
    expect((await call('GET', '/profile/v1/partnerdata/old', { token: viaB })).status).toBe(404);
    expect((await call('DELETE', '/profile/v1/partnerdata/old', { token: viaB })).status).toBe(404);
    expect((await call('PUT', '/profile/v1/partnerdata/old', { token: viaB, body: { of: 'B' } })).status).toBe(201);
    expect(await legacyNow()).toEqual(before);
    const listedByA = await call('GET', '/profile/v1/partnerdata', { token: viaA });
    expect(listedByA.body.items.map((i: { name: string; unreadable?: string }) => [i.name, i.unreadable])).toEqual([['seed', undefined], ['old', 'KeyDestroyed']]);
    expect((await call('GET', '/profile/v1/partnerdata', { token: viaB })).body.items.map((i: { name: string }) => i.name)).toEqual(['old']);
    // Paging goes on from the new objects into the old ones.
    const paged: string[] = [];
    let next: string | undefined;
    for (let page = 0; page < 5; page++) {
      const answer = await call('GET', `/profile/v1/partnerdata?limit=1${next ? `&next=${next}` : ''}`, { token: viaA });
      paged.push(...answer.body.items.map((i: { name: string }) => i.name));
      next = answer.body.next;
      if (!next) break;
    }
    expect({ paged, next }).toEqual({ paged: ['seed', 'old'], next: undefined });

    // An old share pointer of A: B cannot withdraw it, A can.
    const sharingIdentifier = randomUUID();
    await testDynamo().send(new PutCommand({ TableName: tableNames.data, Item: {
      PK: `T#${world.tenant}#SHARE#${sharingIdentifier}`, SK: 'SHARE', entityType: 'ProfileShare', tenant: world.tenant, sharingIdentifier,
      sharer: guest.sub, partnerId: world.partnerA, clientId: CLIENT, name: 'old', initials: 'xx', status: 'active', importCount: 0, createdAt: new Date().toISOString(),
    } }));
    await testDynamo().send(new PutCommand({ TableName: tableNames.data, Item: {
      PK: pk, SK: `SHARE#${CLIENT}#old`, entityType: 'ProfileSharePointer', sharingIdentifier, clientId: CLIENT, name: 'old',
    } }));
    const shareNow = async () => (await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: { PK: `T#${world.tenant}#SHARE#${sharingIdentifier}`, SK: 'SHARE' } }))).Item;
    expect((await call('DELETE', '/profile/v1/partnerdata/old/share', { token: viaB })).status).toBe(404);
    expect((await shareNow())?.status).toBe('active');
    expect((await call('DELETE', '/profile/v1/partnerdata/old/share', { token: viaA })).status).toBe(204);
    expect((await shareNow())?.status).toBe('withdrawn');

    expect((await call('DELETE', '/profile/v1/partnerdata/old', { token: viaA })).status).toBe(204);
    expect(await legacyNow()).toBeUndefined();
    expect((await call('GET', '/profile/v1/partnerdata/old', { token: viaB })).body).toEqual({ of: 'B' });
  });
});
