import { call } from '../../support/api.js';
import { type Guest, profileWorld, type World } from './support.js';

/**
 * Where an item is stored and what its payload is bound to (AAD) are fixed by the item's address
 * (`Person` `me`: `*`; partner data: the creating app): changing which entity types the tenant shares
 * changes who may read and write, never where an item lives or how it opens. Both directions, with
 * items that existed before the change and items created after it.
 */
let world: World;
beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

const share = async (types: string[]) => {
  const response = await call('PUT', `/profile/v1/tenants/${world.tenant}/settings`, { token: await world.tenantToken(), body: { sharedEntityTypes: types } });
  expect(response.status).toBe(200);
};

async function expectWrite(token: string, path: string, body: unknown, status: number) {
  const response = await call('PUT', path, { token, body });
  expect({ path, status: response.status, text: response.status === status ? '' : response.text }).toEqual({ path, status, text: '' });
}

async function expectRead(token: string, path: string, body: unknown) {
  const response = await call('GET', path, { token });
  expect({ path, status: response.status, body: path === '/profile/v1/me' ? response.body?.profile : response.body }).toEqual({ path, status: 200, body });
}

async function expectExportReadable(guest: Guest, count: number) {
  const exported = await call('GET', '/profile/v1/me/export', { token: await guest.token({ noPartner: true }) });
  expect(exported.status).toBe(200);
  const items = exported.body.items as Array<{ name: string; unreadable?: string }>;
  expect({ count: items.length, unreadable: items.filter((i) => i.unreadable).map((i) => `${i.name}: ${i.unreadable}`) }).toEqual({ count, unreadable: [] });
}

describe('changing the shared entity types keeps every item where it is and readable', () => {
  it('sharing PartnerData and not Person, then back to the defaults: old and new items stay writable and readable', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    await expectWrite(token, '/profile/v1/me', { givenName: 'Ann' }, 201);
    await expectWrite(token, '/profile/v1/partnerdata/obj1', { v: 1 }, 201);

    await share(['Party', 'PartnerData']);
    await expectWrite(token, '/profile/v1/me', { givenName: 'Anna' }, 200);
    await expectRead(token, '/profile/v1/me', { givenName: 'Anna' });
    await expectWrite(token, '/profile/v1/partnerdata/obj1', { v: 2 }, 200);
    await expectRead(token, '/profile/v1/partnerdata/obj1', { v: 2 });
    await expectWrite(token, '/profile/v1/partnerdata/objnew', { v: 3 }, 201);
    await expectRead(token, '/profile/v1/partnerdata/objnew', { v: 3 });
    const newcomer = await world.guest();
    await expectWrite(await newcomer.token(), '/profile/v1/me', { givenName: 'Nina' }, 201);
    await expectRead(await newcomer.token(), '/profile/v1/me', { givenName: 'Nina' });
    await expectExportReadable(guest, 3);

    await share(['Person', 'Party']);
    await expectRead(token, '/profile/v1/me', { givenName: 'Anna' });
    await expectWrite(token, '/profile/v1/me', { givenName: 'Anne' }, 200);
    await expectRead(await newcomer.token(), '/profile/v1/me', { givenName: 'Nina' });
    await expectWrite(await newcomer.token(), '/profile/v1/me', { givenName: 'Nine' }, 200);
    await expectRead(token, '/profile/v1/partnerdata/objnew', { v: 3 });
    await expectWrite(token, '/profile/v1/partnerdata/objnew', { v: 4 }, 200);
    await expectWrite(token, '/profile/v1/partnerdata/obj1', { v: 5 }, 200);
    await expectWrite(token, '/profile/v1/partnerdata/objnew2', { v: 6 }, 201);
    await expectRead(token, '/profile/v1/partnerdata/objnew2', { v: 6 });
    const listed = await call('GET', '/profile/v1/partnerdata?prefix=obj', { token });
    expect(listed.body.items.map((i: { name: string; data?: unknown }) => [i.name, i.data])).toEqual([['obj1', { v: 5 }], ['objnew', { v: 4 }], ['objnew2', { v: 6 }]]);
    await expectExportReadable(guest, 4);
    await expectExportReadable(newcomer, 1);
  });

  it('the decision still follows the settings: a related partner reads Person only while it is shared', async () => {
    await share(['Person', 'Party']);
    const guest = await world.guest();
    await expectWrite(await guest.token(), '/profile/v1/me', { givenName: 'Rita' }, 201);
    const viaB = await guest.token({ partner: world.partnerB, client: 'app-b' });
    await expectRead(viaB, '/profile/v1/me', { givenName: 'Rita' });
    await share(['Party']);
    expect((await call('GET', '/profile/v1/me', { token: viaB })).status).toBe(404);
    expect((await call('PUT', '/profile/v1/me', { token: viaB, body: { givenName: 'Mallory' } })).status).toBe(404);
    await share(['Person', 'Party']);
    await expectRead(viaB, '/profile/v1/me', { givenName: 'Rita' });
  });
});
