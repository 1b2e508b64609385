import { busEvents, call, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { profileWorld } from './world.js';

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
});
