import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { busEvents, call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { profileWorld, type World } from './support.js';

/**
 * Issue 10 (profile data): every user-owned entity type of the tenant's metamodel — not only `PartnerData` —
 * is written, read, listed, exported and erased through `/profile/v1/data/{entityType}/{name}` under the same
 * governance (partner and app, shared types, relation, consent, keys, quota, If-Match); `/partnerdata/…` is
 * the `PartnerData` alias of the same code (decision 0304).
 */
let world: World;
beforeAll(async () => {
  world = await profileWorld({ extraSchemas: ['Order', 'Ticket', 'Party'] });
}, 90_000);

const stored = async (sub: string, sk: string) =>
  (await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: { PK: `T#${world.tenant}#GUEST#${sub}`, SK: sk } }))).Item;
const itemKeys = async (sub: string) =>
  ((await testDynamo().send(new QueryCommand({
    TableName: tableNames.data, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': `T#${world.tenant}#GUEST#${sub}`, ':sk': 'ITEM#' }, ConsistentRead: true,
  }))).Items ?? []).map((i) => String(i.SK));

describe('the data API serves every user-owned entity type of the metamodel', () => {
  it('writes, reads, lists, guards and deletes an Order of the creating app, sealed under the Order consent', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    const put = await call('PUT', '/profile/v1/data/Order/o-1', { token, body: { total: 42, item: 'velvet-hat' } });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ name: 'o-1', version: 1, objectApiUrl: expect.stringMatching(/\/profile\/v1\/data\/Order\/o-1$/) });
    expect(put.headers.get('etag')).toBe('"1"');

    const got = await call('GET', '/profile/v1/data/Order/o-1', { token });
    expect({ status: got.status, body: got.body }).toEqual({ status: 200, body: { total: 42, item: 'velvet-hat' } });

    // Stored in the app's namespace, sealed, with its governance, under the guest's Order consent.
    const item = await stored(guest.sub, `ITEM#Order#${world.partnerA}#app-a#o-1`);
    expect(JSON.stringify(item)).not.toContain('velvet-hat');
    expect(item?.governance).toEqual({ entityType: 'Order', profile: guest.sub, partnerId: world.partnerA, clientId: 'app-a', role: 'creator-app' });
    expect(item?.sealedWith.consentReference).toBe(guest.ref);

    // An Order is not PartnerData: the same name there is another (absent) object.
    expect((await call('GET', '/profile/v1/partnerdata/o-1', { token })).status).toBe(404);
    // Another partner's app (related: it signs in) never sees the app's Order.
    const viaB = await guest.token({ partner: world.partnerB, client: 'app-b' });
    const other = await call('GET', '/profile/v1/data/Order/o-1', { token: viaB });
    expect({ status: other.status, code: other.body.code }).toEqual({ status: 404, code: 'DataObjectNotFound' });
    expect((await call('GET', '/profile/v1/data/Order', { token: viaB })).body.items).toEqual([]);

    await call('PUT', '/profile/v1/data/Order/o-2', { token, body: { total: 7 } });
    await call('PUT', '/profile/v1/data/Ticket/t-1', { token, body: { seat: '12A' } });
    const listed = await call('GET', '/profile/v1/data/Order?prefix=o-', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { name: string; data: unknown; objectApiUrl: string }) => [i.name, i.data, i.objectApiUrl.replace(/^.*\/profile\/v1/, '')]))
      .toEqual([['o-1', { total: 42, item: 'velvet-hat' }, '/data/Order/o-1'], ['o-2', { total: 7 }, '/data/Order/o-2']]);

    // If-Match as for partner data: a stale ETag writes and deletes nothing.
    const stale = await call('PUT', '/profile/v1/data/Order/o-1', { token, body: { total: 0 }, headers: { 'if-match': '"7"' } });
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 412, code: 'PartnerDataVersionMismatch' });
    expect((await call('DELETE', '/profile/v1/data/Order/o-1', { token, headers: { 'if-match': '"7"' } })).status).toBe(412);
    expect((await call('GET', '/profile/v1/data/Order/o-1', { token })).body).toEqual({ total: 42, item: 'velvet-hat' });
    expect((await call('PUT', '/profile/v1/data/Order/o-1', { token, body: { total: 43 }, headers: { 'if-match': '"1"' } })).status).toBe(200);
    expect((await call('DELETE', '/profile/v1/data/Order/o-1', { token, headers: { 'if-match': '"2"' } })).status).toBe(204);
    expect((await call('GET', '/profile/v1/data/Order/o-1', { token })).status).toBe(404);
    expect(await stored(guest.sub, `ITEM#Order#${world.partnerA}#app-a#o-1`)).toBeUndefined();

    // Announced as a change of an Order, without the data, valid against the catalogue.
    const events = await waitFor(async () => {
      const mine = (await busEvents()).filter((e) => e['detail-type'] === 'PartnerDataChanged' && e.detail.guest === guest.sub && e.detail.name === 'o-1');
      return mine.length === 3 ? mine : undefined;
    });
    for (const event of events) expectInCatalogue(event);
    expect(events.map((e) => [e.detail.entityType, e.detail.change])).toEqual([['Order', 'created'], ['Order', 'updated'], ['Order', 'deleted']]);
    expect(JSON.stringify(events)).not.toContain('velvet-hat');
  });

  it('`/partnerdata/{name}` is the PartnerData alias: one object, either path', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    expect((await call('PUT', '/profile/v1/data/PartnerData/fav', { token, body: { a: 1 } })).status).toBe(201);
    expect((await call('GET', '/profile/v1/partnerdata/fav', { token })).body).toEqual({ a: 1 });
    const again = await call('PUT', '/profile/v1/partnerdata/fav', { token, body: { a: 2 } });
    expect({ status: again.status, version: again.body.version }).toEqual({ status: 200, version: 2 });
    expect((await call('GET', '/profile/v1/data/PartnerData', { token })).body.items.map((i: { name: string; data: unknown }) => [i.name, i.data])).toEqual([['fav', { a: 2 }]]);
  });

  it('refuses an entity type the tenant has not got (404), a malformed one (400) and Person (400, it is /me): JSON, nothing written', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    for (const [method, path] of [['PUT', '/profile/v1/data/Invoice/x'], ['GET', '/profile/v1/data/Invoice/x'], ['GET', '/profile/v1/data/Invoice'], ['DELETE', '/profile/v1/data/Invoice/x']] as const) {
      const response = await call(method, path, { token, body: method === 'PUT' ? { a: 1 } : undefined });
      expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 404, code: 'SchemaNotFound' });
    }
    const malformed = await call('PUT', '/profile/v1/data/1nvoice%23x/x', { token, body: { a: 1 } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toEqual(expect.any(String));
    const person = await call('PUT', '/profile/v1/data/Person/me', { token, body: { givenName: 1 } });
    expect({ status: person.status, code: person.body.code }).toEqual({ status: 400, code: 'PersonIsMe' });
    expect(await itemKeys(guest.sub)).toEqual([]);
    expect((await call('GET', '/profile/v1/me', { token })).body.profile).toEqual({});
  });

  it('follows the type’s own consent: not granted 403 on write, revoked 410 on read', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    await call('PUT', '/profile/v1/data/Ticket/t-1', { token, body: { seat: '1A' } });
    expect((await world.setConsent(guest, 'Ticket', false)).status).toBeLessThan(300);
    const read = await call('GET', '/profile/v1/data/Ticket/t-1', { token });
    expect({ status: read.status, code: read.body.code }).toEqual({ status: 410, code: 'ConsentRevoked' });
    const write = await call('PUT', '/profile/v1/data/Ticket/t-2', { token, body: { seat: '2B' } });
    expect({ status: write.status, code: write.body.code }).toEqual({ status: 403, code: 'ConsentNotGranted' });
    // Other types are governed by their own consents.
    expect((await call('PUT', '/profile/v1/data/Order/o-1', { token, body: { n: 1 } })).status).toBe(201);
    expect(await itemKeys(guest.sub)).toEqual([`ITEM#Order#${world.partnerA}#app-a#o-1`, `ITEM#Ticket#${world.partnerA}#app-a#t-1`]);
  });

  it('a shared type (Party) is one guest-wide object for every related partner, decided by the settings at read time', async () => {
    const guest = await world.guest();
    const viaA = await guest.token();
    const viaB = await guest.token({ partner: world.partnerB, client: 'app-b' });
    expect((await call('PUT', '/profile/v1/data/Party/acme', { token: viaA, body: { org: 'ACME' } })).status).toBe(201);
    const item = await stored(guest.sub, 'ITEM#Party#*#acme');
    expect(item?.governance).toMatchObject({ entityType: 'Party', partnerId: world.partnerA, role: 'related-partner' });

    // Partner B (related: signed in) reads, lists and updates the same object.
    expect((await call('GET', '/profile/v1/data/Party/acme', { token: viaB })).body).toEqual({ org: 'ACME' });
    expect((await call('GET', '/profile/v1/data/Party', { token: viaB })).body.items.map((i: { name: string }) => i.name)).toEqual(['acme']);
    const updated = await call('PUT', '/profile/v1/data/Party/acme', { token: viaB, body: { org: 'ACME Corp' } });
    expect({ status: updated.status, version: updated.body.version }).toEqual({ status: 200, version: 2 });
    expect((await call('GET', '/profile/v1/data/Party/acme', { token: viaA })).body).toEqual({ org: 'ACME Corp' });

    // The tenant stops sharing Party: B no longer sees A's object; B's own write goes to B's app, A's stays.
    const admin = await world.tenantToken();
    expect((await call('PUT', `/profile/v1/tenants/${world.tenant}/settings`, { token: admin, body: { sharedEntityTypes: ['Person'] } })).status).toBe(200);
    try {
      expect((await call('GET', '/profile/v1/data/Party/acme', { token: viaB })).status).toBe(404);
      expect((await call('PUT', '/profile/v1/data/Party/acme', { token: viaB, body: { org: 'B only' } })).status).toBe(201);
      expect((await call('GET', '/profile/v1/data/Party/acme', { token: viaA })).body).toEqual({ org: 'ACME Corp' });
      expect((await call('GET', '/profile/v1/data/Party/acme', { token: viaB })).body).toEqual({ org: 'B only' });
      expect((await stored(guest.sub, `ITEM#Party#${world.partnerB}#app-b#acme`))?.governance.partnerId).toBe(world.partnerB);
    } finally {
      await call('PUT', `/profile/v1/tenants/${world.tenant}/settings`, { token: admin, body: { sharedEntityTypes: ['Person', 'Party'] } });
    }

    // Ending B's relation closes the shared object to B's tokens issued before.
    const portal = await guest.token({ noPartner: true });
    expect((await call('DELETE', `/profile/v1/me/relations/${world.partnerA}`, { token: portal })).status).toBe(204);
    const ended = await call('GET', '/profile/v1/data/Party/acme', { token: viaA });
    expect({ status: ended.status, code: ended.body.code }).toEqual({ status: 403, code: 'RelationEnded' });
    const created = await call('PUT', '/profile/v1/data/Party/other', { token: viaA, body: { org: 'x' } });
    expect({ status: created.status, code: created.body.code }).toEqual({ status: 403, code: 'RelationEnded' });
  });

  it('counts every type against the guest quota, exports and erases them all', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    await call('PUT', '/profile/v1/data/Order/o-1', { token, body: { total: 5 } });
    await call('PUT', '/profile/v1/data/Ticket/t-1', { token, body: { seat: '3C' } });
    await call('PUT', '/profile/v1/data/Party/club', { token, body: { org: 'Club' } });

    const portal = await guest.token({ noPartner: true });
    const exported = await call('GET', '/profile/v1/me/export', { token: portal });
    expect(exported.status).toBe(200);
    expect(exported.body.items.map((i: { entityType: string; name: string; data: unknown }) => [i.entityType, i.name, i.data]).sort()).toEqual([
      ['Order', 'o-1', { total: 5 }], ['Party', 'club', { org: 'Club' }], ['Ticket', 't-1', { seat: '3C' }],
    ]);

    const admin = await world.tenantToken();
    await call('PUT', `/profile/v1/tenants/${world.tenant}/settings`, { token: admin, body: { sharedEntityTypes: ['Person', 'Party'], guestQuota: { maxItems: 3 } } });
    try {
      const over = await call('PUT', '/profile/v1/data/Order/o-2', { token, body: { total: 6 } });
      expect({ status: over.status, code: over.body.code, used: over.body.details?.used }).toEqual({ status: 413, code: 'GuestQuotaExceeded', used: 3 });
    } finally {
      await call('PUT', `/profile/v1/tenants/${world.tenant}/settings`, { token: admin, body: { sharedEntityTypes: ['Person', 'Party'] } });
    }
    expect(await itemKeys(guest.sub)).toHaveLength(3);

    expect((await call('DELETE', '/profile/v1/me', { token: portal })).status).toBe(204);
    expect(await itemKeys(guest.sub)).toEqual([]);
  });

  it('sharing is of partner data only: no share route for other types', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    await call('PUT', '/profile/v1/data/Order/o-1', { token, body: { total: 1 } });
    const share = await call('PUT', '/profile/v1/data/Order/o-1/share', { token, body: {} });
    expect(share.status).toBeGreaterThanOrEqual(400);
    expect(share.status).toBeLessThan(500);
    expect(share.body.message).toEqual(expect.any(String));
    expect((await call('GET', '/profile/v1/shares', { token })).body.shares).toEqual([]);
  });
});
