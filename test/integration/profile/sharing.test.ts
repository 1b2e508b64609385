import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { busEvents, call, tableNames, testDynamo, tokenFor, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { ALL_PROFILE, profileWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

const favourites = { comics: ['Asterix', 'Lucky Luke'] };

async function sharedObject(names = { givenName: 'Gina', familyName: 'Ahrens' }) {
  const sharer = await world.guest(names);
  const token = await sharer.token();
  await call('PUT', '/profile/v1/partnerdata/meineFavoriten', { token, body: favourites });
  const shared = await call('PUT', '/profile/v1/partnerdata/meineFavoriten/share', { token });
  return { sharer, token, shared };
}

describe('sharing partner data with friends (the seed’s share and import)', () => {
  it('shares by link, imports a disconnected copy named with the sharer’s initials, and refreshes it in place', async () => {
    const { sharer, token, shared } = await sharedObject();
    expect(shared.status).toBe(201);
    const { sharingIdentifier } = shared.body;
    expect(shared.body).toEqual({
      sharingIdentifier: expect.stringMatching(/^[0-9a-f-]{36}$/),
      importApiUrl: expect.stringMatching(new RegExp(`/profile/v1/import/${sharingIdentifier}$`)),
      shareObjectApiUrl: expect.stringMatching(/\/profile\/v1\/partnerdata\/meineFavoriten\/share$/),
    });
    const repeated = await call('PUT', '/profile/v1/partnerdata/meineFavoriten/share', { token });
    expect(repeated.status).toBe(200);
    expect(repeated.body.sharingIdentifier).toBe(sharingIdentifier);

    const friend = await world.guest({ givenName: 'Fritz', familyName: 'Freund' });
    const friendToken = await friend.token({ client: 'app-a-mobile' }); // another app of the same partner
    const imported = await call('PUT', `/profile/v1/import/${sharingIdentifier}`, { token: friendToken });
    expect(imported.status).toBe(201);
    expect(imported.body).toEqual({ id: expect.any(String), name: 'meineFavoriten-ga', objectApiUrl: expect.stringMatching(/\/partnerdata\/meineFavoriten-ga$/) });
    expect((await call('GET', '/profile/v1/partnerdata/meineFavoriten-ga', { token: friendToken })).body).toEqual(favourites);

    // Disconnected: the friend's edits and the sharer's edits do not touch each other…
    await call('PUT', '/profile/v1/partnerdata/meineFavoriten-ga', { token: friendToken, body: { comics: ['mine now'] } });
    await call('PUT', '/profile/v1/partnerdata/meineFavoriten', { token, body: { comics: ['Asterix', 'Spirou'] } });
    expect((await call('GET', '/profile/v1/partnerdata/meineFavoriten', { token })).body).toEqual({ comics: ['Asterix', 'Spirou'] });
    // …until the friend imports again: the same copy is refreshed in place.
    const refreshed = await call('PUT', `/profile/v1/import/${sharingIdentifier}`, { token: friendToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.id).toBe(imported.body.id);
    expect((await call('GET', '/profile/v1/partnerdata/meineFavoriten-ga', { token: friendToken })).body).toEqual({ comics: ['Asterix', 'Spirou'] });

    const shares = await call('GET', '/profile/v1/shares', { token });
    expect(shares.status).toBe(200);
    expect(shares.body.shares).toEqual([
      expect.objectContaining({ sharingIdentifier, name: 'meineFavoriten', importCount: 1, importedBy: [expect.objectContaining({ importer: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/), copyName: 'meineFavoriten-ga' })] }),
    ]);
    // The sharer's app learns that someone imported, never who: the friend's account id appears nowhere.
    expect(JSON.stringify(shares.body)).not.toContain(friend.sub);
    const exported = await call('GET', '/profile/v1/me/export', { token: await sharer.token({ noPartner: true }) });
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.body)).not.toContain(friend.sub);
    expect(exported.body.sharesGiven[0].importedBy[0].importer).toBe(shares.body.shares[0].importedBy[0].importer);

    const events = await waitFor(async () => {
      const all = await busEvents();
      const shared = all.find((e) => e['detail-type'] === 'PartnerDataShared' && e.detail.sharingIdentifier === sharingIdentifier);
      const imports = all.filter((e) => e['detail-type'] === 'PartnerDataImported' && e.detail.sharingIdentifier === sharingIdentifier);
      return shared && imports.length === 2 ? { shared, imports } : undefined;
    });
    expect(events.shared.detail).toMatchObject({ guest: sharer.sub, partnerId: world.partnerA, name: 'meineFavoriten' });
    expect(events.imports.map((e) => e.detail.refreshed)).toEqual([false, true]);
    expect(JSON.stringify(events)).not.toMatch(/Asterix|Spirou|Gina|Ahrens/);
  });

  it('two sharers with the same initials do not overwrite each other: the second copy is numbered', async () => {
    const first = await sharedObject({ givenName: 'Gina', familyName: 'Ahrens' });
    const second = await sharedObject({ givenName: 'Gustav', familyName: 'Albers' });
    const friend = await world.guest();
    const token = await friend.token();
    const a = await call('PUT', `/profile/v1/import/${first.shared.body.sharingIdentifier}`, { token });
    const b = await call('PUT', `/profile/v1/import/${second.shared.body.sharingIdentifier}`, { token });
    expect([a.body.name, b.body.name]).toEqual(['meineFavoriten-ga', 'meineFavoriten-ga2']);
    const listed = await call('GET', '/profile/v1/partnerdata?prefix=meineFavoriten', { token });
    expect(listed.body.items.map((i: { name: string }) => i.name)).toEqual(['meineFavoriten-ga', 'meineFavoriten-ga2']);
  });

  it('after a withdrawal imports answer 404, copies already made stay', async () => {
    const { token, shared } = await sharedObject();
    const friend = await world.guest();
    const friendToken = await friend.token();
    await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: friendToken });
    expect((await call('DELETE', '/profile/v1/partnerdata/meineFavoriten/share', { token })).status).toBe(204);
    expect((await call('DELETE', '/profile/v1/partnerdata/meineFavoriten/share', { token })).status).toBe(404);
    const late = await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: friendToken });
    expect(late.status).toBe(404);
    expect((await call('GET', '/profile/v1/partnerdata/meineFavoriten-ga', { token: friendToken })).body).toEqual(favourites);
    expect((await call('GET', '/profile/v1/shares', { token })).body.shares).toEqual([]);
    // Sharing again makes a new share.
    const again = await call('PUT', '/profile/v1/partnerdata/meineFavoriten/share', { token });
    expect(again.status).toBe(201);
    expect(again.body.sharingIdentifier).not.toBe(shared.body.sharingIdentifier);
  });

  it('deleting an object withdraws its share in the same step: a re-created object of the same name is not exposed through the old link', async () => {
    const { sharer, token, shared } = await sharedObject();
    const { sharingIdentifier } = shared.body;
    const friend = await world.guest();
    const friendToken = await friend.token();
    expect((await call('PUT', `/profile/v1/import/${sharingIdentifier}`, { token: friendToken })).status).toBe(201);

    expect((await call('DELETE', '/profile/v1/partnerdata/meineFavoriten', { token })).status).toBe(204);
    expect((await call('GET', '/profile/v1/shares', { token })).body.shares).toEqual([]);
    expect((await call('DELETE', '/profile/v1/partnerdata/meineFavoriten/share', { token })).status).toBe(404);
    const withdrawn = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ShareWithdrawn' && e.detail.sharingIdentifier === sharingIdentifier));
    expectInCatalogue(withdrawn);
    expect(withdrawn.detail).toMatchObject({ guest: sharer.sub, name: 'meineFavoriten', reason: 'objectDeleted' });

    const secret = { comics: ['Something new, not for the old link'] };
    expect((await call('PUT', '/profile/v1/partnerdata/meineFavoriten', { token, body: secret })).status).toBe(201);
    const late = await call('PUT', `/profile/v1/import/${sharingIdentifier}`, { token: friendToken });
    expect(late.status).toBe(404);
    expect(late.text).not.toContain('Something new');
    expect((await call('GET', '/profile/v1/partnerdata/meineFavoriten-ga', { token: friendToken })).body).toEqual(favourites); // the copy stays
    const other = await world.guest();
    expect((await call('PUT', `/profile/v1/import/${sharingIdentifier}`, { token: await other.token() })).status).toBe(404);
    // Sharing the new object makes a new share.
    const again = await call('PUT', '/profile/v1/partnerdata/meineFavoriten/share', { token });
    expect(again.status).toBe(201);
    expect(again.body.sharingIdentifier).not.toBe(sharingIdentifier);
  });

  it('erasure also withdraws a share whose object was deleted before deletes withdrew shares', async () => {
    const { sharer, token, shared } = await sharedObject();
    // An object deleted the old way: its item is gone, its share pointer and active share stayed.
    await testDynamo().send(new DeleteCommand({ TableName: tableNames.data, Key: { PK: `T#${world.tenant}#GUEST#${sharer.sub}`, SK: `ITEM#PartnerData#${world.partnerA}#app-a#meineFavoriten` } }));
    expect((await call('DELETE', '/profile/v1/me', { token })).status).toBe(204);
    const friend = await world.guest();
    expect((await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: await friend.token() })).status).toBe(404);
  });

  it('imports only through an app of the same partner, in the same tenant, and never one’s own share', async () => {
    const { token, shared } = await sharedObject();
    const id = shared.body.sharingIdentifier;
    const friend = await world.guest();
    expect((await call('PUT', `/profile/v1/import/${id}`, { token: await friend.token({ partner: world.partnerB, client: 'app-b' }) })).status).toBe(404);
    const otherTenant = await tokenFor({ principal: 'guest', tenant: 'other-tenant', sub: friend.sub, partner: world.partnerA, client: 'app-a', scope: ALL_PROFILE });
    expect((await call('PUT', `/profile/v1/import/${id}`, { token: otherTenant })).status).toBe(404);
    const own = await call('PUT', `/profile/v1/import/${id}`, { token });
    expect(own.status).toBe(400);
    expect(own.body.code).toBe('OwnShare');
    expect((await call('PUT', '/profile/v1/import/00000000-0000-4000-8000-000000000000', { token: await friend.token() })).status).toBe(404);
    expect((await call('PUT', '/profile/v1/import/not-an-id', { token: await friend.token() })).status).toBe(400);
  });

  it('honours a maximum number of importers (refreshes do not count) and an expiry', async () => {
    const sharer = await world.guest({ givenName: 'Max', familyName: 'Muster' });
    const token = await sharer.token();
    await call('PUT', '/profile/v1/partnerdata/limited', { token, body: { a: 1 } });
    const limited = await call('PUT', '/profile/v1/partnerdata/limited/share', { token, body: { maxImports: 1 } });
    expect(limited.body.maxImports).toBe(1);
    const [one, two] = [await world.guest(), await world.guest()];
    const id = limited.body.sharingIdentifier;
    expect((await call('PUT', `/profile/v1/import/${id}`, { token: await one.token() })).status).toBe(201);
    expect((await call('PUT', `/profile/v1/import/${id}`, { token: await one.token() })).status).toBe(200);
    const exhausted = await call('PUT', `/profile/v1/import/${id}`, { token: await two.token() });
    expect(exhausted.status).toBe(409);
    expect(exhausted.body.code).toBe('ShareImportLimitReached');

    await call('PUT', '/profile/v1/partnerdata/brief', { token, body: { b: 1 } });
    const soon = new Date(Date.now() + 1500).toISOString();
    const expiring = await call('PUT', '/profile/v1/partnerdata/brief/share', { token, body: { expiresAt: soon } });
    expect(expiring.body.expiresAt).toBe(soon);
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await call('PUT', `/profile/v1/import/${expiring.body.sharingIdentifier}`, { token: await two.token() });
    expect(expired.status).toBe(410);
    expect(expired.body.code).toBe('ShareExpired');
    expect((await call('PUT', '/profile/v1/partnerdata/brief/share', { token, body: { expiresAt: '2001-01-01T00:00:00Z' } })).status).toBe(400);
  });

  it('a sharer who revoked consent shares nothing: the import says the object is unavailable, without the reason', async () => {
    const { sharer, shared } = await sharedObject();
    await world.setConsent(sharer, 'PartnerData', false);
    const friend = await world.guest();
    const response = await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: await friend.token() });
    expect(response.status).toBe(410);
    expect(response.body.code).toBe('SharedObjectUnavailable');
    expect(response.text).not.toContain(sharer.ref);
  });
});
