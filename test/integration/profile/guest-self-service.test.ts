import { busEvents, call, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { type Guest, profileWorld, type World } from './support.js';

/**
 * The guest's own forms of the app's withdrawal and deletion (decision 0307): `DELETE /me/shares/{id}` and
 * `DELETE /me/imports/{id}`, with any guest token of the tenant (the platform's pages or any app), reaching only
 * the caller's own shares and copies. Both are the app's domain write; a second call answers 404.
 */
let world: World;
beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

const favourites = { comics: ['Asterix', 'Lucky Luke'] };

async function sharedBy(sharer: Guest, name = 'meineFavoriten'): Promise<string> {
  const token = await sharer.token();
  expect((await call('PUT', `/profile/v1/partnerdata/${name}`, { token, body: favourites })).status).toBe(201);
  const shared = await call('PUT', `/profile/v1/partnerdata/${name}/share`, { token });
  expect(shared.status).toBe(201);
  return shared.body.sharingIdentifier as string;
}

const portalToken = (guest: Guest) => guest.token({ noPartner: true });
const withdrawals = async (sharingIdentifier: string) =>
  (await busEvents()).filter((e) => e['detail-type'] === 'ShareWithdrawn' && e.detail.sharingIdentifier === sharingIdentifier);

describe('the guest withdraws their own share (DELETE /me/shares/{sharingIdentifier})', () => {
  it('withdraws from the platform pages a share an app made: imports refused, copies stay but cannot be refreshed, ShareWithdrawn', async () => {
    const sharer = await world.guest({ givenName: 'Gina', familyName: 'Ahrens' });
    const id = await sharedBy(sharer);
    const friend = await world.guest();
    const friendToken = await friend.token();
    expect((await call('PUT', `/profile/v1/import/${id}`, { token: friendToken })).status).toBe(201);

    const withdrawn = await call('DELETE', `/profile/v1/me/shares/${id}`, { token: await portalToken(sharer) });
    expect(withdrawn.status).toBe(204);
    expect((await call('GET', '/profile/v1/shares', { token: await sharer.token() })).body.shares).toEqual([]);
    // The friend's copy stays; a refresh (a new import) is refused like an unknown share.
    expect((await call('GET', '/profile/v1/partnerdata/meineFavoriten-ga', { token: friendToken })).body).toEqual(favourites);
    expect((await call('PUT', `/profile/v1/import/${id}`, { token: friendToken })).body.code).toBe('ShareNotFound');

    const [event] = await waitFor(async () => { const found = await withdrawals(id); return found.length > 0 && found; });
    expectInCatalogue(event);
    expect(event.detail).toMatchObject({ guest: sharer.sub, partnerId: world.partnerA, name: 'meineFavoriten', reason: 'guest' });
    // Already withdrawn: 404, as the app's withdrawal answers a second time; nothing announced again.
    const again = await call('DELETE', `/profile/v1/me/shares/${id}`, { token: await portalToken(sharer) });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 404, code: 'ShareNotFound' });
    expect(await withdrawals(id)).toHaveLength(1);
  });

  it('works through any app of the tenant: another partner’s app withdraws the share partner A’s app made', async () => {
    const sharer = await world.guest();
    const id = await sharedBy(sharer);
    const response = await call('DELETE', `/profile/v1/me/shares/${id}`, { token: await sharer.token({ partner: world.partnerB, client: 'app-b' }) });
    expect(response.status).toBe(204);
    expect((await call('GET', '/profile/v1/shares', { token: await sharer.token() })).body.shares).toEqual([]);
  });

  it('another guest’s share is 404 and stays active; without the share scope 403', async () => {
    const sharer = await world.guest();
    const id = await sharedBy(sharer);
    const other = await world.guest();
    for (const token of [await portalToken(other), await other.token(), await other.token({ partner: world.partnerB, client: 'app-b' })]) {
      const response = await call('DELETE', `/profile/v1/me/shares/${id}`, { token });
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'ShareNotFound' });
    }
    const unscoped = await call('DELETE', `/profile/v1/me/shares/${id}`, { token: await sharer.token({ noPartner: true, scope: 'profile_data_read profile_data_write' }) });
    expect(unscoped.status).toBe(403);
    const shares = await call('GET', '/profile/v1/shares', { token: await sharer.token() });
    expect(shares.body.shares.map((s: { sharingIdentifier: string }) => s.sharingIdentifier)).toEqual([id]);
    expect((await call('PUT', `/profile/v1/import/${id}`, { token: await other.token() })).status).toBe(201);
    expect(await withdrawals(id)).toHaveLength(0);
  });

  it('20 parallel withdrawals of one share: one 204, the rest 404 (or 409 after a lost race), one ShareWithdrawn', async () => {
    const sharer = await world.guest();
    const id = await sharedBy(sharer);
    const token = await portalToken(sharer);
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('DELETE', `/profile/v1/me/shares/${id}`, { token })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 204 && s !== 404 && s !== 409)).toEqual([]);
    await waitFor(async () => (await withdrawals(id)).length > 0);
    // Give a (wrong) second announcement time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await withdrawals(id)).toHaveLength(1);
  }, 30_000);
});

describe('the guest deletes a copy they imported (DELETE /me/imports/{sharingIdentifier})', () => {
  async function imported() {
    const sharer = await world.guest({ givenName: 'Gina', familyName: 'Ahrens' });
    const id = await sharedBy(sharer);
    const friend = await world.guest();
    const friendToken = await friend.token();
    const copy = await call('PUT', `/profile/v1/import/${id}`, { token: friendToken });
    expect(copy.status).toBe(201);
    return { sharer, id, friend, friendToken, copyId: copy.body.id as string };
  }

  it('deletes the copy as its app would: gone from the app and the export, PartnerDataChanged without a name, the friend stays counted', async () => {
    const { sharer, id, friend, friendToken, copyId } = await imported();
    const deleted = await call('DELETE', `/profile/v1/me/imports/${id}`, { token: await portalToken(friend) });
    expect(deleted.status).toBe(204);
    expect((await call('GET', '/profile/v1/partnerdata/meineFavoriten-ga', { token: friendToken })).status).toBe(404);
    const exported = await call('GET', '/profile/v1/me/export', { token: await portalToken(friend) });
    expect(exported.body.sharesImported).toEqual([]);
    expect(exported.body.items).toEqual([]);

    const event = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'PartnerDataChanged' && e.detail.itemId === copyId && e.detail.change === 'deleted'));
    expectInCatalogue(event);
    expect(event.detail).toMatchObject({ guest: friend.sub, partnerId: world.partnerA, clientId: 'app-a', importedFrom: id });
    expect(event.detail.name).toBeUndefined();

    // The share is untouched and still counts the friend once: a new import is a new copy, not a new importer.
    const again = await call('PUT', `/profile/v1/import/${id}`, { token: friendToken });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(copyId);
    const shares = await call('GET', '/profile/v1/shares', { token: await sharer.token() });
    expect(shares.body.shares[0]).toMatchObject({ sharingIdentifier: id, importCount: 1 });

    // Nothing left of that share: 404.
    await call('DELETE', `/profile/v1/me/imports/${id}`, { token: await portalToken(friend) });
    const gone = await call('DELETE', `/profile/v1/me/imports/${id}`, { token: await portalToken(friend) });
    expect({ status: gone.status, code: gone.body.code }).toEqual({ status: 404, code: 'ImportNotFound' });
  });

  it('another guest (the sharer too) gets 404 and the copy stays; without the write scope 403', async () => {
    const { sharer, id, friend, friendToken } = await imported();
    for (const token of [await portalToken(sharer), await sharer.token(), await portalToken(await world.guest())]) {
      const response = await call('DELETE', `/profile/v1/me/imports/${id}`, { token });
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'ImportNotFound' });
    }
    const unscoped = await call('DELETE', `/profile/v1/me/imports/${id}`, { token: await friend.token({ noPartner: true, scope: 'profile_data_read profile_data_share' }) });
    expect(unscoped.status).toBe(403);
    expect((await call('GET', '/profile/v1/partnerdata/meineFavoriten-ga', { token: friendToken })).body).toEqual(favourites);
  });

  it('a copy the friend shared on takes its share along (ShareWithdrawn, objectDeleted), as the app’s delete does', async () => {
    const { id, friend, friendToken } = await imported();
    const reshared = await call('PUT', '/profile/v1/partnerdata/meineFavoriten-ga/share', { token: friendToken });
    expect(reshared.status).toBe(201);
    const onward = reshared.body.sharingIdentifier as string;
    expect((await call('DELETE', `/profile/v1/me/imports/${id}`, { token: await friend.token({ partner: world.partnerB, client: 'app-b' }) })).status).toBe(204);
    const [event] = await waitFor(async () => { const found = await withdrawals(onward); return found.length > 0 && found; });
    expect(event.detail).toMatchObject({ guest: friend.sub, partnerId: world.partnerA, reason: 'objectDeleted' });
    expect((await call('GET', '/profile/v1/shares', { token: friendToken })).body.shares).toEqual([]);
  });

  it('the app’s own delete of a copy takes the copy’s pointer along: the export no longer lists the import', async () => {
    const { friend, friendToken } = await imported();
    expect((await call('DELETE', '/profile/v1/partnerdata/meineFavoriten-ga', { token: friendToken })).status).toBe(204);
    expect((await call('GET', '/profile/v1/me/export', { token: await portalToken(friend) })).body.sharesImported).toEqual([]);
  });
});
