import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { busEvents, call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { profileWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

describe('the guest sees and decides (export, access, relations, erasure)', () => {
  it('exports everything in one document, decrypted where consent allows and marked unreadable otherwise', async () => {
    const guest = await world.guest({ givenName: 'Gina', familyName: 'Ahrens' });
    const viaA = await guest.token();
    await call('PUT', '/profile/v1/me', { token: viaA, body: { givenName: 'Gina', email: 'gina@example.org' } });
    await call('PUT', '/profile/v1/partnerdata/fav', { token: viaA, body: { n: 1 } });
    await call('PUT', '/profile/v1/partnerdata/fav/share', { token: viaA });
    await call('GET', '/profile/v1/me', { token: await guest.token({ partner: world.partnerB, client: 'app-b' }) });
    await world.setConsent(guest, 'PartnerData', false);

    const portal = await guest.token({ noPartner: true });
    const exported = await call('GET', '/profile/v1/me/export', { token: portal });
    expect(exported.status).toBe(200);
    const doc = exported.body;
    expect(doc).toMatchObject({ guest: guest.sub, tenant: world.tenant });
    expect(doc.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ entityType: 'Person', name: 'me', data: { givenName: 'Gina', email: 'gina@example.org' } }),
      expect.objectContaining({ entityType: 'PartnerData', name: 'fav', unreadable: 'ConsentRevoked', governance: expect.objectContaining({ partnerId: world.partnerA, clientId: 'app-a' }) }),
    ]));
    expect(doc.relations.map((r: { partnerId: string }) => r.partnerId).sort()).toEqual([world.partnerA, world.partnerB].sort());
    expect(doc.sharesGiven).toEqual([expect.objectContaining({ name: 'fav' })]);
    expect(doc.consent.consentReference).toBe(guest.ref);
    expect(doc.consent.consents).toEqual(expect.arrayContaining([expect.objectContaining({ schema: 'PartnerData', granted: false })]));
    expect(doc.history.map((e: { action: string }) => e.action)).toEqual(['created', 'revoked']);
    expect(doc.historyVerification.valid).toBe(true);
    expect(doc.next).toBeUndefined();

    // A partner app does not get the whole profile (it would see other partners' data).
    expect((await call('GET', '/profile/v1/me/export', { token: viaA })).status).toBe(403);
  });

  it('lists every app of a partner the guest signed in through, also apps that stored nothing', async () => {
    const guest = await world.guest();
    // Signed-in calls only, no data: partner A through two apps, partner B through one.
    expect((await call('GET', '/profile/v1/me', { token: await guest.token() })).status).toBe(200);
    expect((await call('GET', '/profile/v1/partnerdata', { token: await guest.token({ client: 'app-a2' }) })).status).toBe(200);
    expect((await call('GET', '/profile/v1/me', { token: await guest.token({ client: 'app-a2' }) })).status).toBe(200);
    expect((await call('GET', '/profile/v1/me', { token: await guest.token({ partner: world.partnerB, client: 'app-b' }) })).status).toBe(200);
    // A write through a third app records it in the write's own transaction.
    expect((await call('PUT', '/profile/v1/me', { token: await guest.token({ client: 'app-a3' }), body: { givenName: 'Ada' } })).status).toBe(201);

    const portal = await guest.token({ noPartner: true });
    const access = await call('GET', '/profile/v1/me/access', { token: portal });
    expect(access.status).toBe(200);
    const byPartner = Object.fromEntries(access.body.partners.map((p: { partnerId: string }) => [p.partnerId, p]));
    expect(byPartner[world.partnerA]).toMatchObject({ apps: ['app-a', 'app-a2', 'app-a3'], relation: { active: true } });
    expect(byPartner[world.partnerB]).toMatchObject({ apps: ['app-b'], relation: { active: true } });
    // The relation's first sign-in stays; the export shows the same apps.
    const exported = await call('GET', '/profile/v1/me/export', { token: portal });
    const relations = Object.fromEntries(exported.body.relations.map((r: { partnerId: string }) => [r.partnerId, r]));
    expect(relations[world.partnerA]).toMatchObject({ clientId: 'app-a', apps: ['app-a', 'app-a2', 'app-a3'] });
  });

  it('shows which partner reads what and why, and ending a relation closes the shared types at once', async () => {
    const guest = await world.guest();
    const viaB = await guest.token({ partner: world.partnerB, client: 'app-b' });
    await call('PUT', '/profile/v1/me', { token: await guest.token(), body: { givenName: 'Gina' } });
    await call('PUT', '/profile/v1/partnerdata/cart', { token: await guest.token(), body: { n: 1 } });
    expect((await call('GET', '/profile/v1/me', { token: viaB })).status).toBe(200);

    const portal = await guest.token({ noPartner: true });
    const access = await call('GET', '/profile/v1/me/access', { token: portal });
    expect(access.status).toBe(200);
    const byPartner = Object.fromEntries(access.body.partners.map((p: { partnerId: string }) => [p.partnerId, p]));
    expect(byPartner[world.partnerA].entityTypes).toEqual(expect.arrayContaining([
      { entityType: 'Person', reasons: ['relation'] }, { entityType: 'PartnerData', reasons: ['creator'] },
    ]));
    expect(byPartner[world.partnerA].apps).toEqual(['app-a']);
    expect(byPartner[world.partnerB].entityTypes).toEqual([{ entityType: 'Person', reasons: ['relation'] }, { entityType: 'Party', reasons: ['relation'] }]);

    expect((await call('DELETE', `/profile/v1/me/relations/${world.partnerB}`, { token: portal })).status).toBe(204);
    const closed = await call('GET', '/profile/v1/me', { token: viaB });
    expect(closed.status).toBe(403);
    expect(closed.body.code).toBe('RelationEnded');
    expect((await call('DELETE', `/profile/v1/me/relations/${world.partnerB}`, { token: portal })).status).toBe(404);
    const after = await call('GET', '/profile/v1/me/access', { token: portal });
    const b = after.body.partners.find((p: { partnerId: string }) => p.partnerId === world.partnerB);
    expect(b).toMatchObject({ relation: { active: false }, entityTypes: [] });
    await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'RelationEnded' && e.detail.guest === guest.sub && e.detail.partnerId === world.partnerB));

    // A new sign-in through partner B's app (a token issued after the end) restores the relation.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call('GET', '/profile/v1/me', { token: await guest.token({ partner: world.partnerB, client: 'app-b' }) })).status).toBe(200);
  });

  it('erasure destroys every key, deletes the items, withdraws the shares and announces it; a second call answers 404', async () => {
    const guest = await world.guest({ givenName: 'Erik', familyName: 'Eraser' });
    const token = await guest.token();
    await call('PUT', '/profile/v1/me', { token, body: { givenName: 'Erik' } });
    await call('PUT', '/profile/v1/partnerdata/fav', { token, body: { n: 1 } });
    const shared = await call('PUT', '/profile/v1/partnerdata/fav/share', { token });
    const friend = await world.guest();
    await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: await friend.token() });

    expect((await call('DELETE', '/profile/v1/me', { token })).status).toBe(204);
    const left = await testDynamo().send(new QueryCommand({
      TableName: tableNames.data, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `T#${world.tenant}#GUEST#${guest.sub}` },
    }));
    expect(left.Items).toEqual([]);
    const keys = await testDynamo().send(new QueryCommand({
      TableName: tableNames.keys, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `T#${world.tenant}#REF#${guest.ref}` },
    }));
    expect(keys.Items).toEqual([]);
    expect((await call('PUT', `/profile/v1/import/${shared.body.sharingIdentifier}`, { token: await friend.token() })).status).toBe(404);
    expect((await call('GET', '/profile/v1/partnerdata/fav-ee', { token: await friend.token() })).status).toBe(200); // the friend's copy is the friend's
    expect((await call('DELETE', '/profile/v1/me', { token })).status).toBe(404);
    expect((await call('GET', '/profile/v1/partnerdata/fav', { token })).status).toBe(404);

    const erased = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ProfileErased' && e.detail.guest === guest.sub));
    expect(erased.detail).toMatchObject({ consentReference: guest.ref, itemsDeleted: 2, sharesWithdrawn: 1, cause: 'guest' });
    await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ShareWithdrawn' && e.detail.sharingIdentifier === shared.body.sharingIdentifier && e.detail.reason === 'erasure'));
  });
});
