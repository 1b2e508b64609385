import { busEvents, call, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { profileWorld } from './support.js';

describe('profile events match the event catalogue (docs/events/profile/)', () => {
  it('emits all six event types with the ids involved and without user data, each valid against its JSON Schema', async () => {
    const world = await profileWorld();
    const sharer = await world.guest({ givenName: 'Clara', familyName: 'Catalog' });
    const token = await sharer.token();
    await call('PUT', '/profile/v1/partnerdata/cat', { token, body: { secretWord: 'zebra-7' } });
    const { sharingIdentifier } = (await call('PUT', '/profile/v1/partnerdata/cat/share', { token, body: { maxImports: 5, expiresAt: new Date(Date.now() + 3600_000).toISOString() } })).body;
    const friend = await world.guest();
    await call('PUT', `/profile/v1/import/${sharingIdentifier}`, { token: await friend.token() });
    await call('DELETE', '/profile/v1/partnerdata/cat/share', { token });
    await call('DELETE', `/profile/v1/me/relations/${world.partnerA}`, { token });
    await call('DELETE', '/profile/v1/me', { token: await friend.token() });

    const types = ['PartnerDataChanged', 'PartnerDataShared', 'PartnerDataImported', 'ShareWithdrawn', 'RelationEnded', 'ProfileErased'];
    const events = await waitFor(async () => {
      const mine = (await busEvents()).filter((e) => e.source === 'mydata.profile' && e.detail.tenant === world.tenant);
      return types.every((t) => mine.some((e) => e['detail-type'] === t)) ? mine : undefined;
    }, { timeoutMs: 20_000 });
    for (const event of events) expectInCatalogue(event);
    expect(JSON.stringify(events)).not.toMatch(/zebra-7|Clara|Catalog/);
  });

  it('never puts the sharer’s initials on the bus: the import names the shared object and the copy by its id (decision 0305)', async () => {
    const world = await profileWorld();
    const sharer = await world.guest({ givenName: 'Quentin', familyName: 'Zorn' });
    const token = await sharer.token();
    await call('PUT', '/profile/v1/partnerdata/deck', { token, body: { cards: 3 } });
    const { sharingIdentifier } = (await call('PUT', '/profile/v1/partnerdata/deck/share', { token })).body;
    const friend = await world.guest();
    const friendToken = await friend.token();
    const imported = await call('PUT', `/profile/v1/import/${sharingIdentifier}`, { token: friendToken });
    expect(imported.status).toBe(201);
    expect(imported.body.objectApiUrl).toMatch(/\/partnerdata\/deck-qz$/);
    // The owner edits and deletes the copy: changes of a copy carry no name either.
    await call('PUT', '/profile/v1/partnerdata/deck-qz', { token: friendToken, body: { cards: 4 } });
    await call('DELETE', '/profile/v1/partnerdata/deck-qz', { token: friendToken });

    const events = await waitFor(async () => {
      const mine = (await busEvents()).filter((e) => e.source === 'mydata.profile' && e.detail.tenant === world.tenant);
      const importedEvent = mine.find((e) => e['detail-type'] === 'PartnerDataImported');
      const copyChanges = mine.filter((e) => e['detail-type'] === 'PartnerDataChanged' && e.detail.guest === friend.sub);
      return importedEvent && copyChanges.length === 2 ? { importedEvent, copyChanges } : undefined;
    }, { timeoutMs: 20_000 });
    expectInCatalogue(events.importedEvent);
    expect(events.importedEvent.detail).toMatchObject({ sharingIdentifier, sharedName: 'deck', itemId: imported.body.id, importer: friend.sub, refreshed: false });
    expect(events.importedEvent.detail.name).toBeUndefined();
    for (const change of events.copyChanges) {
      expectInCatalogue(change);
      expect(change.detail).toMatchObject({ itemId: imported.body.id, importedFrom: sharingIdentifier });
    }
    expect(events.copyChanges.map((e) => e.detail.change)).toEqual(['updated', 'deleted']);
    expect(JSON.stringify([events.importedEvent, ...events.copyChanges])).not.toMatch(/deck-qz|Quentin|Zorn/);
  });
});
