import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { profileWorld, type Guest, type World } from '../profile/support.js';

/**
 * A per-guest quota on stored data (items and bytes per guest per tenant), enforced by a usage counter
 * changed in the same transaction as each item: a write over the quota gets a clear 413 and writes
 * nothing, and parallel writes never exceed it together.
 */
const MAX_ITEMS = 5;
const MAX_BYTES = 3000;

let world: World;
beforeAll(async () => {
  world = await profileWorld();
  const response = await call('PUT', `/profile/v1/tenants/${world.tenant}/settings`, {
    token: await world.tenantToken(),
    body: { sharedEntityTypes: ['Person', 'Party'], guestQuota: { maxItems: MAX_ITEMS, maxBytes: MAX_BYTES } },
  });
  if (response.status !== 200) throw new Error(`settings: ${response.status} ${response.text}`);
}, 60_000);

const usage = async (guest: Guest) =>
  (await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: { PK: `T#${world.tenant}#GUEST#${guest.sub}`, SK: 'USAGE' }, ConsistentRead: true }))).Item;

async function stored(guest: Guest): Promise<Array<{ name: string; size: number }>> {
  const response = await call('GET', '/profile/v1/partnerdata?limit=100', { token: await guest.token() });
  expect(response.status).toBe(200);
  return response.body.items;
}

const put = async (guest: Guest, name: string, body: unknown) => call('PUT', `/profile/v1/partnerdata/${name}`, { token: await guest.token(), body });
const sized = (bytes: number) => ({ s: 'x'.repeat(bytes - 8) }); // {"s":"…"} is 8 bytes of JSON around the string

describe('the per-guest quota on stored data', () => {
  it('refuses the item over the count with 413 GuestQuotaExceeded and writes nothing; updates and deletes still work', async () => {
    const guest = await world.guest();
    for (let i = 0; i < MAX_ITEMS; i++) expect((await put(guest, `o${i}`, { i })).status).toBe(201);
    const refused = await put(guest, 'one-too-many', { i: 99 });
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ code: 'GuestQuotaExceeded', details: { quota: 'items', limit: MAX_ITEMS, used: MAX_ITEMS }, traceId: expect.any(String) });
    expect(refused.body.message).toMatch(/at most 5 data items/);
    expect((await call('GET', '/profile/v1/partnerdata/one-too-many', { token: await guest.token() })).status).toBe(404);
    expect((await stored(guest)).map((i) => i.name)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
    expect(await usage(guest)).toMatchObject({ items: MAX_ITEMS, bytes: 5 * JSON.stringify({ i: 0 }).length });

    // Updating an object does not add an item; deleting one makes room.
    expect((await put(guest, 'o0', { i: 100 })).status).toBe(200);
    expect((await call('DELETE', '/profile/v1/partnerdata/o1', { token: await guest.token() })).status).toBe(204);
    expect(await usage(guest)).toMatchObject({ items: MAX_ITEMS - 1 });
    expect((await put(guest, 'one-too-many', { i: 99 })).status).toBe(201);
    // The guest's own profile (Person) counts too.
    const me = await call('PUT', '/profile/v1/me', { token: await guest.token(), body: { givenName: 'Quentin' } });
    expect(me.status).toBe(413);
    expect((await call('GET', '/profile/v1/me', { token: await guest.token() })).body.profile).toEqual({});
  });

  it('refuses bytes over the quota, also when an update grows an object; a shrinking update is always allowed', async () => {
    const guest = await world.guest();
    expect((await put(guest, 'big', sized(2000))).status).toBe(201);
    const refused = await put(guest, 'second', sized(1500));
    expect(refused.status).toBe(413);
    expect(refused.body.details).toEqual({ quota: 'bytes', limit: MAX_BYTES, used: 2000, requested: 1500 });
    expect((await put(guest, 'big', sized(3500))).status).toBe(413);
    expect(await usage(guest)).toMatchObject({ items: 1, bytes: 2000 });
    expect((await put(guest, 'big', sized(500))).status).toBe(200);
    expect((await put(guest, 'second', sized(1500))).status).toBe(201);
    expect(await usage(guest)).toMatchObject({ items: 2, bytes: 2000 });
    expect((await stored(guest)).map((i) => i.size)).toEqual([500, 1500]);
  });

  it('parallel writes never exceed the quota together: exactly the room left is written, the rest 413 (or 409), never 5xx', async () => {
    const guest = await world.guest();
    expect((await put(guest, 'first', { n: 0 })).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => put(guest, `p${String(i).padStart(2, '0')}`, { n: i })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s !== 201 && s !== 413 && s !== 409)).toEqual([]);
    const items = await stored(guest);
    expect(items.length).toBeLessThanOrEqual(MAX_ITEMS);
    expect(statuses.filter((s) => s === 201)).toHaveLength(items.length - 1);
    expect(await usage(guest)).toMatchObject({ items: items.length, bytes: items.reduce((sum, i) => sum + i.size, 0) });
    // Retrying the refused ones cannot add beyond the quota either.
    for (const [i, answer] of answers.entries()) if (answer.status !== 201) await put(guest, `p${String(i).padStart(2, '0')}`, { n: i });
    expect((await stored(guest)).length).toBe(MAX_ITEMS);
  });

  it('parallel growth in bytes never exceeds the byte quota', async () => {
    const guest = await world.guest();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => put(guest, `b${i}`, sized(700))));
    expect(answers.map((a) => a.status).filter((s) => s !== 201 && s !== 413 && s !== 409)).toEqual([]);
    const items = await stored(guest);
    const bytes = items.reduce((sum, i) => sum + i.size, 0);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(await usage(guest)).toMatchObject({ items: items.length, bytes });
  });

  it('counts an imported copy: an importer at the quota gets 413 and no copy, and the share counts no import', async () => {
    const sharer = await world.guest({ givenName: 'Sue', familyName: 'Sharer' });
    expect((await put(sharer, 'list', { n: 1 })).status).toBe(201);
    const shared = await call('PUT', '/profile/v1/partnerdata/list/share', { token: await sharer.token() });
    expect(shared.status).toBe(201);
    const friend = await world.guest();
    for (let i = 0; i < MAX_ITEMS; i++) expect((await put(friend, `f${i}`, { i })).status).toBe(201);
    const refused = await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: await friend.token() });
    expect(refused.status).toBe(413);
    expect(refused.body.code).toBe('GuestQuotaExceeded');
    expect((await stored(friend)).map((i) => i.name)).not.toContain('list-ss');
    const shares = await call('GET', '/profile/v1/shares', { token: await sharer.token() });
    expect(shares.body.shares[0]).toMatchObject({ importCount: 0, importedBy: [] });
    expect((await call('DELETE', '/profile/v1/partnerdata/f0', { token: await friend.token() })).status).toBe(204);
    expect((await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: await friend.token() })).status).toBe(201);
    expect(await usage(friend)).toMatchObject({ items: MAX_ITEMS });
  });

  it('recounts stored items when there is no counter (data stored before the quota, or after an erasure dropped it)', async () => {
    const guest = await world.guest();
    for (let i = 0; i < MAX_ITEMS; i++) expect((await put(guest, `o${i}`, { i })).status).toBe(201);
    const key = { PK: `T#${world.tenant}#GUEST#${guest.sub}`, SK: 'USAGE' };
    await testDynamo().send(new DeleteCommand({ TableName: tableNames.data, Key: key }));
    expect((await put(guest, 'extra', { i: 9 })).status).toBe(413);
    expect(await usage(guest)).toBeUndefined(); // a refused write writes nothing, not even the counter
    expect((await call('DELETE', '/profile/v1/partnerdata/o0', { token: await guest.token() })).status).toBe(204);
    expect((await put(guest, 'extra', { i: 9 })).status).toBe(201);
    expect(await usage(guest)).toMatchObject({ items: MAX_ITEMS });

    // Erasure removes the counter with everything else: a second erasure finds nothing (404).
    const portal = await guest.token({ noPartner: true });
    expect((await call('DELETE', '/profile/v1/me', { token: portal })).status).toBe(204);
    expect(await usage(guest)).toBeUndefined();
    expect((await call('DELETE', '/profile/v1/me', { token: portal })).status).toBe(404);
  });

  it('lets the tenant lower the quota only within the platform limits, and shows it', async () => {
    const token = await world.tenantToken();
    const path = `/profile/v1/tenants/${world.tenant}/settings`;
    for (const guestQuota of [{ maxItems: 1001 }, { maxBytes: 16 * 1024 * 1024 + 1 }, { maxItems: -1 }, { maxItems: 1.5 }, { other: 1 }]) {
      const response = await call('PUT', path, { token, body: { sharedEntityTypes: ['Person', 'Party'], guestQuota } });
      expect({ guestQuota, status: response.status }).toEqual({ guestQuota, status: 400 });
    }
    const shown = await call('GET', path, { token });
    expect(shown.body.guestQuota).toEqual({ maxItems: MAX_ITEMS, maxBytes: MAX_BYTES });
  });
});
