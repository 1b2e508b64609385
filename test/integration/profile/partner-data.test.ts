import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { busEvents, call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { profileWorld, type World } from './support.js';

const favourites = { items: [{ id: 'comic-1', title: 'Asterix' }, { id: 'comic-2', title: 'Tintin' }] };
let world: World;

beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

describe('partner data of a signed-in guest (PUT|GET|DELETE /profile/v1/partnerdata/{name})', () => {
  it('stores the app’s object encrypted and gives it back as it was stored', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    const put = await call('PUT', '/profile/v1/partnerdata/meineFavoriten', { token, body: favourites });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ name: 'meineFavoriten', version: 1, objectApiUrl: expect.stringMatching(/\/profile\/v1\/partnerdata\/meineFavoriten$/) });

    const got = await call('GET', '/profile/v1/partnerdata/meineFavoriten', { token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(favourites);

    const again = await call('PUT', '/profile/v1/partnerdata/meineFavoriten', { token, body: { items: [] } });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);
    expect((await call('GET', '/profile/v1/partnerdata/meineFavoriten', { token })).body).toEqual({ items: [] });
  });

  it('keeps no readable copy in the table: the stored item is sealed and labelled with its governance', async () => {
    const guest = await world.guest();
    await call('PUT', '/profile/v1/partnerdata/secret', { token: await guest.token(), body: { pin: 'asterix-1234' } });
    const stored = await testDynamo().send(new GetCommand({
      TableName: tableNames.data,
      Key: { PK: `T#${world.tenant}#GUEST#${guest.sub}`, SK: `ITEM#PartnerData#${world.partnerA}#app-a#secret` },
    }));
    expect(JSON.stringify(stored.Item)).not.toContain('asterix-1234');
    expect(stored.Item?.governance).toEqual({ entityType: 'PartnerData', profile: guest.sub, partnerId: world.partnerA, clientId: 'app-a', role: 'creator-app' });
    expect(stored.Item?.sealedWith.consentReference).toBe(guest.ref);
  });

  it('announces created, updated and deleted without the data', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    await call('PUT', '/profile/v1/partnerdata/list', { token, body: { secret: 'obelix-9' } });
    await call('PUT', '/profile/v1/partnerdata/list', { token, body: { secret: 'obelix-10' } });
    expect((await call('DELETE', '/profile/v1/partnerdata/list', { token })).status).toBe(204);
    const events = await waitFor(async () => {
      const mine = (await busEvents()).filter((e) => e['detail-type'] === 'PartnerDataChanged' && e.detail.guest === guest.sub);
      return mine.length === 3 ? mine : undefined;
    });
    expect(events.map((e) => e.detail.change)).toEqual(['created', 'updated', 'deleted']);
    expect(events[0]).toMatchObject({ source: 'mydata.profile', detail: { tenant: world.tenant, name: 'list', partnerId: world.partnerA, clientId: 'app-a', consentReference: guest.ref } });
    expect(JSON.stringify(events)).not.toContain('obelix');
    expect((await call('GET', '/profile/v1/partnerdata/list', { token })).status).toBe(404);
    expect((await call('DELETE', '/profile/v1/partnerdata/list', { token })).status).toBe(404);
  });

  it('lists the app’s objects by name prefix', async () => {
    const guest = await world.guest();
    const token = await guest.token();
    for (const name of ['fav-a', 'fav-b', 'other']) await call('PUT', `/profile/v1/partnerdata/${name}`, { token, body: { name } });
    const listed = await call('GET', '/profile/v1/partnerdata?prefix=fav', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { name: string; data: unknown }) => [i.name, i.data])).toEqual([['fav-a', { name: 'fav-a' }], ['fav-b', { name: 'fav-b' }]]);
    const all = await call('GET', '/profile/v1/partnerdata', { token });
    expect(all.body.items).toHaveLength(3);
    const paged = await call('GET', '/profile/v1/partnerdata?limit=2', { token });
    expect(paged.body.items).toHaveLength(2);
    const rest = await call('GET', `/profile/v1/partnerdata?limit=2&next=${paged.body.next}`, { token });
    expect(rest.body.items.map((i: { name: string }) => i.name)).toEqual(['other']);
  });
});
