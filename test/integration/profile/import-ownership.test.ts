import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { busEvents, call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { type Guest, profileWorld, type World } from './support.js';

/**
 * An import never overwrites data it does not own (issue 9, section 3): it writes only to the copy of
 * that share for that importer and app, allocates a free name atomically, and never replaces another
 * object — also not when pointers went stale (copy deleted, name reused) or imports race each other.
 */
let world: World;
beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

interface Stored {
  name: string;
  id: string;
  importedFrom?: string;
}

/** The importer's partner-data items as stored (name, id, the share it is a copy of). */
async function storedItems(guest: Guest): Promise<Stored[]> {
  const rows = await testDynamo().send(new QueryCommand({
    TableName: tableNames.data,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': `T#${world.tenant}#GUEST#${guest.sub}`, ':sk': 'ITEM#PartnerData#' },
    ConsistentRead: true,
  }));
  return (rows.Items ?? []).map((i) => ({ name: i.name, id: i.id, importedFrom: i.importedFrom?.sharingIdentifier }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function share(names: { givenName: string; familyName: string }, name: string, data: unknown) {
  const sharer = await world.guest(names);
  const token = await sharer.token();
  expect((await call('PUT', `/profile/v1/partnerdata/${name}`, { token, body: data })).status).toBe(201);
  const shared = await call('PUT', `/profile/v1/partnerdata/${name}/share`, { token });
  expect(shared.status).toBe(201);
  return { sharer, token, id: shared.body.sharingIdentifier as string };
}

const gina = { givenName: 'Gina', familyName: 'Ahrens' };
const georg = { givenName: 'Georg', familyName: 'Albers' };
const get = async (token: string, name: string) => (await call('GET', `/profile/v1/partnerdata/${name}`, { token })).body;

describe('an import writes only to its own copy', () => {
  it('a refresh after the copy was deleted and its name reused by another sharer’s copy makes a new copy', async () => {
    const ginas = await share(gina, 'list', { from: 'Gina' });
    const georgs = await share(georg, 'list', { from: 'Georg' });
    const friend = await world.guest();
    const token = await friend.token();
    expect((await call('PUT', `/profile/v1/import/${ginas.id}`, { token })).body.name).toBe('list-ga');
    expect((await call('DELETE', '/profile/v1/partnerdata/list-ga', { token })).status).toBe(204);
    const second = await call('PUT', `/profile/v1/import/${georgs.id}`, { token });
    expect({ status: second.status, name: second.body.name }).toEqual({ status: 201, name: 'list-ga' });

    const again = await call('PUT', `/profile/v1/import/${ginas.id}`, { token });
    expect({ status: again.status, name: again.body.name }).toEqual({ status: 201, name: 'list-ga2' });
    expect(await get(token, 'list-ga')).toEqual({ from: 'Georg' });
    expect(await get(token, 'list-ga2')).toEqual({ from: 'Gina' });
    expect((await storedItems(friend)).map((i) => [i.name, i.importedFrom])).toEqual([['list-ga', georgs.id], ['list-ga2', ginas.id]]);
    // Gina's share still counts the friend once.
    const shares = await call('GET', '/profile/v1/shares', { token: ginas.token });
    expect(shares.body.shares[0]).toMatchObject({ importCount: 1, importedBy: [expect.objectContaining({ importer: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/), copyName: 'list-ga2' })] });
  });

  it('an import in a second app never overwrites the importer’s own object of the copy’s name there', async () => {
    const ginas = await share(gina, 'list2', { from: 'Gina' });
    const friend = await world.guest();
    const app1 = await friend.token({ client: 'app-1' });
    const app2 = await friend.token({ client: 'app-2' });
    expect((await call('PUT', '/profile/v1/partnerdata/list2-ga', { token: app2, body: { mine: true } })).status).toBe(201);
    const first = await call('PUT', `/profile/v1/import/${ginas.id}`, { token: app1 });
    expect({ status: first.status, name: first.body.name }).toEqual({ status: 201, name: 'list2-ga' });
    const second = await call('PUT', `/profile/v1/import/${ginas.id}`, { token: app2 });
    expect({ status: second.status, name: second.body.name }).toEqual({ status: 201, name: 'list2-ga2' });
    expect(await get(app2, 'list2-ga')).toEqual({ mine: true });
    expect(await get(app2, 'list2-ga2')).toEqual({ from: 'Gina' });
    expect(await get(app1, 'list2-ga')).toEqual({ from: 'Gina' });
    // Each app's copy is refreshed in place by that app's import.
    const refreshed = await call('PUT', `/profile/v1/import/${ginas.id}`, { token: app2 });
    expect({ status: refreshed.status, name: refreshed.body.name, id: refreshed.body.id }).toEqual({ status: 200, name: 'list2-ga2', id: second.body.id });
    expect(await get(app2, 'list2-ga')).toEqual({ mine: true });
    // One importing guest, however many apps.
    expect((await call('GET', '/profile/v1/shares', { token: ginas.token })).body.shares[0].importCount).toBe(1);
  });

  it('an own object created under a freed copy name is never overwritten by a later import', async () => {
    const ginas = await share(gina, 'list3', { from: 'Gina' });
    const friend = await world.guest();
    const token = await friend.token();
    const first = await call('PUT', `/profile/v1/import/${ginas.id}`, { token });
    expect(first.body.name).toBe('list3-ga');
    expect((await call('DELETE', '/profile/v1/partnerdata/list3-ga', { token })).status).toBe(204);
    expect((await call('PUT', '/profile/v1/partnerdata/list3-ga', { token, body: { own: true } })).status).toBe(201);
    const again = await call('PUT', `/profile/v1/import/${ginas.id}`, { token });
    expect({ status: again.status, name: again.body.name }).toEqual({ status: 201, name: 'list3-ga2' });
    expect(await get(token, 'list3-ga')).toEqual({ own: true });
    expect((await storedItems(friend)).map((i) => [i.name, i.importedFrom])).toEqual([['list3-ga', undefined], ['list3-ga2', ginas.id]]);
  });

  it('the owner’s edit of a copy keeps the link: stored, in the event, and the next import refreshes that copy', async () => {
    const ginas = await share(gina, 'list4', { from: 'Gina' });
    const friend = await world.guest();
    const token = await friend.token();
    const first = await call('PUT', `/profile/v1/import/${ginas.id}`, { token });
    expect((await call('PUT', '/profile/v1/partnerdata/list4-ga', { token, body: { edited: true } })).status).toBe(200);
    expect(await storedItems(friend)).toEqual([{ name: 'list4-ga', id: first.body.id, importedFrom: ginas.id }]);
    const changed = await waitFor(async () => (await busEvents()).find((e) =>
      e['detail-type'] === 'PartnerDataChanged' && e.detail.guest === friend.sub && e.detail.change === 'updated'));
    expectInCatalogue(changed);
    expect(changed.detail).toMatchObject({ itemId: first.body.id, importedFrom: ginas.id });
    // A copy's name carries the sharer's initials: no event names it (decision 0305).
    expect(changed.detail.name).toBeUndefined();
    expect(JSON.stringify(changed)).not.toContain('list4-ga');
    const refreshed = await call('PUT', `/profile/v1/import/${ginas.id}`, { token });
    expect({ status: refreshed.status, id: refreshed.body.id }).toEqual({ status: 200, id: first.body.id });
    expect(await get(token, 'list4-ga')).toEqual({ from: 'Gina' });
  });
});

describe('parallel imports', () => {
  it('30 parallel imports of one share by one friend make one copy, counted once', async () => {
    const ginas = await share(gina, 'party', { from: 'Gina' });
    const friend = await world.guest();
    const token = await friend.token();
    const answers = await Promise.all(Array.from({ length: 30 }, () => call('PUT', `/profile/v1/import/${ginas.id}`, { token })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array(28).fill(200), 201].sort());
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.name))).toEqual(new Set(['party-ga']));
    expect(await storedItems(friend)).toEqual([{ name: 'party-ga', id: answers[0]!.body.id, importedFrom: ginas.id }]);
    const shares = await call('GET', '/profile/v1/shares', { token: ginas.token });
    expect(shares.body.shares[0]).toMatchObject({ importCount: 1, importedBy: [expect.objectContaining({ importer: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) })] });
  });

  it('6 parallel imports of same-initials shares make 6 distinct copies, each with its own sharer’s data', async () => {
    const sharers = await Promise.all(['Gina', 'Georg', 'Greta', 'Gustav', 'Gabi', 'Gerd'].map((given, n) =>
      share({ givenName: given, familyName: 'Albers' }, 'party6', { from: given, n })));
    const friend = await world.guest();
    const token = await friend.token();
    const answers = await Promise.all(sharers.map((s) => call('PUT', `/profile/v1/import/${s.id}`, { token })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    const names = answers.map((a) => a.body.name as string);
    expect(new Set(names).size).toBe(6);
    expect([...names].sort()).toEqual(['party6-ga', 'party6-ga2', 'party6-ga3', 'party6-ga4', 'party6-ga5', 'party6-ga6']);
    const stored = await storedItems(friend);
    expect(stored).toHaveLength(6);
    for (const [n, s] of sharers.entries()) {
      const copy = stored.find((i) => i.importedFrom === s.id);
      expect(copy?.name).toBe(names[n]);
      expect(await get(token, names[n]!)).toEqual({ from: ['Gina', 'Georg', 'Greta', 'Gustav', 'Gabi', 'Gerd'][n], n });
    }
  });

  it('30 parallel imports mixing 3 same-initials shares (10 each) make exactly 3 copies, one per share, each counted once', async () => {
    const sharers = await Promise.all(['Gina', 'Georg', 'Greta'].map((given) => share({ givenName: given, familyName: 'Arndt' }, 'mix', { from: given })));
    const friend = await world.guest();
    const token = await friend.token();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, n) => call('PUT', `/profile/v1/import/${sharers[n % 3]!.id}`, { token })));
    expect(answers.filter((a) => a.status >= 300).map((a) => a.text)).toEqual([]);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    const stored = await storedItems(friend);
    expect(stored.map((i) => i.name)).toEqual(['mix-ga', 'mix-ga2', 'mix-ga3']);
    expect(new Set(stored.map((i) => i.importedFrom))).toEqual(new Set(sharers.map((s) => s.id)));
    for (const s of sharers) {
      const copy = stored.find((i) => i.importedFrom === s.id)!;
      expect(answers.filter((_a, n) => n % 3 === sharers.indexOf(s)).every((a) => a.body.id === copy.id)).toBe(true);
      expect((await call('GET', '/profile/v1/shares', { token: s.token })).body.shares[0].importCount).toBe(1);
    }
  });
});
