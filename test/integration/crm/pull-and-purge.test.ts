import { busEvents, call, waitFor } from '../../support/api.js';
import type { Receiver } from '../notifications/support.js';
import { type Guest, profileWorld, type World } from '../profile/support.js';
import { acknowledge, nowSeconds, pull, subscribedSecret } from './support.js';

/**
 * The partner's CRM over HTTP against the local platform (DynamoDB Local, local KMS and EventBridge, the
 * audience consumers): what a partner may pull, decided at read time; 410 from the moment a guest revokes,
 * ends the relation or erases; purges and their signed acknowledgements.
 */
let world: World;
const receivers: Receiver[] = [];
let secretA: string;
let secretB: string;
const favourites = { items: ['espresso', 'croissant'] };

beforeAll(async () => {
  world = await profileWorld({ extraSchemas: ['Order'] });
  [secretA, secretB] = await Promise.all([subscribedSecret(world.tenant, world.partnerA, receivers), subscribedSecret(world.tenant, world.partnerB, receivers)]);
}, 90_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function guestWithData(): Promise<Guest> {
  const guest = await world.guest();
  const put = await call('PUT', '/profile/v1/partnerdata/favourites', { token: await guest.token(), body: favourites });
  expect(put.status).toBe(201);
  return guest;
}

async function pendingPurge(partner: string, guest: string): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const page = await pull(world.tenant, partner, '/purges?limit=500');
    return (page.body.purges as Record<string, unknown>[]).find((p) => p.guest === guest);
  }, { timeoutMs: 20_000 });
}

describe('the pull answers only what the partner may see, decided at read time', () => {
  it("gives the creating partner its guest's data; another partner sees the guest only through its own relation and nothing of the other's types", async () => {
    const guest = await guestWithData();
    const own = await pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData`);
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([expect.objectContaining({ name: 'favourites', version: 1, createdBy: world.partnerA, data: favourites })]);

    // Partner B has no relation yet: 404, and the guest is not in its listing.
    expect((await pull(world.tenant, world.partnerB, `/guests/${guest.sub}/data/PartnerData`)).status).toBe(404);
    // Signed in through B's app: related, but PartnerData is neither shared nor B's own.
    expect((await call('GET', '/profile/v1/partnerdata', { token: await guest.token({ partner: world.partnerB, client: 'app-b' }) })).status).toBe(200);
    const other = await pull(world.tenant, world.partnerB, `/guests/${guest.sub}/data/PartnerData`);
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);

    // The object a notice names, by id: the creator reads it, the other related partner does not (404).
    const itemId = (own.body.items as { itemId: string }[])[0]!.itemId;
    const one = await pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData/${itemId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ itemId, name: 'favourites', data: favourites });
    expect((await pull(world.tenant, world.partnerB, `/guests/${guest.sub}/data/PartnerData/${itemId}`)).status).toBe(404);
    expect((await pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData/6f1c2e0a-8a55-4b8e-9d3a-0c6f3d1f2b11`)).status).toBe(404);

    // A shared type (Person, the default): every related partner reads it, whoever wrote it.
    expect((await call('PUT', '/profile/v1/me', { token: await guest.token(), body: { givenName: 'Gina' } })).status).toBeLessThan(300);
    const person = await pull(world.tenant, world.partnerB, `/guests/${guest.sub}/data/Person`);
    expect(person.status).toBe(200);
    expect(person.body.items).toEqual([expect.objectContaining({ name: 'me', data: expect.objectContaining({ givenName: 'Gina' }) })]);
  });

  it('announces a change to the creating partner only (the change feed), never to an unrelated one', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const guest = await guestWithData();
    const change = await waitFor(async () => {
      const page = await pull(world.tenant, world.partnerA, `/changes?changedSince=${since}&limit=500`);
      return (page.body.changes as Record<string, unknown>[]).find((c) => c.guest === guest.sub);
    }, { timeoutMs: 20_000 });
    expect(change).toMatchObject({ notice: 'data.created', entityType: 'PartnerData', version: 1 });
    const b = await pull(world.tenant, world.partnerB, `/changes?changedSince=${since}&limit=500`);
    expect((b.body.changes as { guest: string }[]).some((c) => c.guest === guest.sub)).toBe(false);
  });

  it("announces a change of the guest's own profile (Person, shared by default) to every related partner", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const guest = await world.guest();
    expect((await call('GET', '/profile/v1/partnerdata', { token: await guest.token({ partner: world.partnerB, client: 'app-b' }) })).status).toBe(200);
    expect((await call('PUT', '/profile/v1/me', { token: await guest.token(), body: { givenName: 'Gina' } })).status).toBe(201);
    for (const partner of [world.partnerA, world.partnerB]) {
      const change = await waitFor(async () => {
        const page = await pull(world.tenant, partner, `/changes?changedSince=${since}&limit=500`);
        return (page.body.changes as Record<string, unknown>[]).find((c) => c.guest === guest.sub);
      }, { timeoutMs: 20_000 });
      expect(change).toMatchObject({ notice: 'data.created', entityType: 'Person', version: 1 });
    }
  });

  it('answers 410 at once after a revoke, and the creating partner gets a purge naming the type', async () => {
    const guest = await guestWithData();
    expect((await world.setConsent(guest, 'PartnerData', false)).status).toBeLessThan(300);
    const gone = await pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData`);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ code: 'ConsentRevoked', details: { reason: 'consent.revoked', entityType: 'PartnerData' } });
    expect(await pendingPurge(world.partnerA, guest.sub)).toMatchObject({ reason: 'consent.revoked', entityTypes: ['PartnerData'] });
  });

  it('answers 410 RelationEnded after the guest ends the relation, with a purge of the whole guest', async () => {
    const guest = await guestWithData();
    expect((await call('DELETE', `/profile/v1/me/relations/${world.partnerA}`, { token: await guest.token({ noPartner: true }) })).status).toBe(204);
    const gone = await pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData`);
    expect(gone.status).toBe(410);
    expect(gone.body.code).toBe('RelationEnded');
    const purge = await pendingPurge(world.partnerA, guest.sub);
    expect(purge).toMatchObject({ reason: 'relation.ended' });
    expect(purge.entityTypes).toBeUndefined();
  });

  it('answers 410 ProfileErased after erasure and purges at the partners related then, not at one whose relation had ended', async () => {
    const guest = await guestWithData();
    expect((await call('GET', '/profile/v1/partnerdata', { token: await guest.token({ partner: world.partnerB, client: 'app-b' }) })).status).toBe(200);
    expect((await call('DELETE', `/profile/v1/me/relations/${world.partnerB}`, { token: await guest.token({ noPartner: true }) })).status).toBe(204);
    expect(await pendingPurge(world.partnerB, guest.sub)).toMatchObject({ reason: 'relation.ended' });
    expect((await call('DELETE', '/profile/v1/me', { token: await guest.token({ noPartner: true }) })).status).toBe(204);
    const gone = await pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData`);
    expect(gone.status).toBe(410);
    expect(gone.body.code).toBe('ProfileErased');
    expect(await pendingPurge(world.partnerA, guest.sub)).toMatchObject({ reason: 'profile.erased' });
    const listedA = await pull(world.tenant, world.partnerA, '/guests?limit=500');
    expect((listedA.body.guests as { guest: string }[]).some((g) => g.guest === guest.sub)).toBe(false);
    const purgesB = (await pull(world.tenant, world.partnerB, '/purges?limit=500')).body.purges as { guest: string; reason: string }[];
    expect(purgesB.filter((p) => p.guest === guest.sub).map((p) => p.reason)).toEqual(['relation.ended']);
    // The guest's own view knows nothing of the tombstone: a second erasure finds nothing.
    expect((await call('DELETE', '/profile/v1/me', { token: await guest.token({ noPartner: true }) })).status).toBe(404);
  });

  it('gives no data of a blocked reference (423)', async () => {
    const guest = await guestWithData();
    expect((await world.block(guest, true)).status).toBeLessThan(300);
    const blocked = await pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData`);
    expect(blocked.status).toBe(423);
    expect(blocked.body).not.toHaveProperty('items');
  });
});

describe('paging', () => {
  it('lists every related guest once over resumable pages, with a cursor bound to the partner', async () => {
    const guests = await Promise.all([guestWithData(), guestWithData(), guestWithData()]);
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await pull(world.tenant, world.partnerA, `/guests?limit=2${next ? `&next=${next}` : ''}`);
      expect(page.status).toBe(200);
      expect((page.body.guests as unknown[]).length).toBeLessThanOrEqual(2);
      seen.push(...(page.body.guests as { guest: string }[]).map((g) => g.guest));
      if (page.body.next && pages === 0) {
        const stolen = await pull(world.tenant, world.partnerB, `/guests?next=${page.body.next}`);
        expect(stolen.status).toBe(400);
        expect(stolen.body.code).toBe('InvalidCursor');
      }
      next = page.body.next as string | undefined;
      pages++;
    } while (next && pages < 200);
    expect(new Set(seen).size).toBe(seen.length);
    for (const guest of guests) expect(seen).toContain(guest.sub);
  });

  it("ends a data page at about 1 MiB and resumes it; the cursor works for that guest and type only", async () => {
    const guest = await world.guest();
    const token = await guest.token();
    const big = { blob: 'x'.repeat(60_000) };
    for (let i = 0; i < 20; i++) expect((await call('PUT', `/profile/v1/partnerdata/big-${String(i).padStart(2, '0')}`, { token, body: big })).status).toBe(201);
    const names: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData?limit=100${next ? `&next=${next}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.text.length).toBeLessThan(1024 * 1024 + 70_000);
      names.push(...(page.body.items as { name: string }[]).map((item) => item.name));
      if (pages === 0) {
        expect(page.body.next).toBeDefined();
        const other = await guestWithData();
        expect((await pull(world.tenant, world.partnerA, `/guests/${other.sub}/data/PartnerData?next=${page.body.next}`)).status).toBe(400);
        expect((await pull(world.tenant, world.partnerB, `/guests/${guest.sub}/data/PartnerData?next=${page.body.next}`)).status).toBe(404);
      }
      next = page.body.next as string | undefined;
      pages++;
    } while (next && pages < 50);
    expect(pages).toBeGreaterThan(1);
    expect(names).toEqual(Array.from({ length: 20 }, (_, i) => `big-${String(i).padStart(2, '0')}`));
  });

  it('refuses a changedSince beyond the feed retention and garbage cursors with 400', async () => {
    expect((await pull(world.tenant, world.partnerA, `/changes?changedSince=${new Date(Date.now() - 40 * 86400_000).toISOString()}`)).body.code).toBe('ChangedSinceTooOld');
    expect((await pull(world.tenant, world.partnerA, '/changes')).status).toBe(400);
    expect((await pull(world.tenant, world.partnerA, '/guests?next=AAAA')).status).toBe(400);
  });
});

describe('purge acknowledgements', () => {
  async function revokedPurge(): Promise<{ guest: Guest; purgeId: string }> {
    const guest = await guestWithData();
    await world.setConsent(guest, 'PartnerData', false);
    const purge = await pendingPurge(world.partnerA, guest.sub);
    return { guest, purgeId: String(purge.purgeId) };
  }

  it('records a signed acknowledgement once; the guest sees the partner confirmed', async () => {
    const { guest, purgeId } = await revokedPurge();
    // Two distinct signatures: timestamps fixed apart, so a second boundary between the calls cannot make them one (a replay, 409).
    const signedAt = nowSeconds();
    const first = await acknowledge(world.tenant, world.partnerA, purgeId, { secret: secretA, at: signedAt });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ purgeId, recorded: true });
    const again = await acknowledge(world.tenant, world.partnerA, purgeId, { secret: secretA, at: signedAt - 1 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ recorded: false, acknowledgedAt: first.body.acknowledgedAt });
    const pending = await pull(world.tenant, world.partnerA, '/purges?limit=500');
    await waitFor(async () => !((await pull(world.tenant, world.partnerA, '/purges?limit=500')).body.purges as { purgeId: string }[]).some((p) => p.purgeId === purgeId));
    expect(pending.status).toBe(200);
    const mine = await call('GET', '/profile/v1/me/purges', { token: await guest.token({ noPartner: true }) });
    expect(mine.status).toBe(200);
    expect(mine.body.purges).toEqual(expect.arrayContaining([expect.objectContaining({ purgeId, partnerId: world.partnerA, acknowledged: true })]));
  });

  it('refuses missing (401), wrong-secret (403), stale (400) and replayed (409) signatures, writing nothing', async () => {
    const { purgeId } = await revokedPurge();
    expect((await acknowledge(world.tenant, world.partnerA, purgeId, { header: null })).status).toBe(401);
    expect((await acknowledge(world.tenant, world.partnerA, purgeId, { secret: 'whsec_not-the-secret' })).status).toBe(403);
    expect((await acknowledge(world.tenant, world.partnerA, purgeId, { secret: secretB })).status).toBe(403);
    const stale = await acknowledge(world.tenant, world.partnerA, purgeId, { secret: secretA, at: nowSeconds() - 600 });
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe('SignatureStale');
    // A body naming another purge is refused even when signed.
    expect((await acknowledge(world.tenant, world.partnerA, purgeId, { secret: secretA, body: JSON.stringify({ purgeId: '00000000-0000-4000-8000-000000000000' }) })).status).toBe(400);
    // Nothing was recorded by any of these.
    const still = await pull(world.tenant, world.partnerA, '/purges?limit=500');
    expect((still.body.purges as { purgeId: string }[]).some((p) => p.purgeId === purgeId)).toBe(true);

    const at = nowSeconds();
    expect((await acknowledge(world.tenant, world.partnerA, purgeId, { secret: secretA, at })).status).toBe(201);
    const replay = await acknowledge(world.tenant, world.partnerA, purgeId, { secret: secretA, at });
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('SignatureReplayed');
  });

  it("answers 404 for another partner's purge, even signed with that partner's own secret", async () => {
    const { purgeId } = await revokedPurge();
    expect((await acknowledge(world.tenant, world.partnerB, purgeId, { secret: secretB })).status).toBe(404);
  });

  it('records tens of parallel acknowledgements of one purge once (one PurgeAcknowledged)', async () => {
    const { purgeId } = await revokedPurge();
    const at = nowSeconds();
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, () => acknowledge(world.tenant, world.partnerA, purgeId, { secret: secretA, at })),
      ...Array.from({ length: 10 }, (_, i) => acknowledge(world.tenant, world.partnerA, purgeId, { secret: secretA, at: at - 1 - i })),
    ]);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => [200, 201, 409].includes(s))).toBe(true);
    // The 20 of one signature: at most one of them succeeded, the rest are replays.
    expect(statuses.slice(0, 20).filter((s) => s === 409).length).toBeGreaterThanOrEqual(19);
    const events = await waitFor(async () => {
      const found = (await busEvents()).filter((e) => e['detail-type'] === 'PurgeAcknowledged' && (e.detail as { purgeId?: string }).purgeId === purgeId);
      return found.length > 0 ? found : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = (await busEvents()).filter((e) => e['detail-type'] === 'PurgeAcknowledged' && (e.detail as { purgeId?: string }).purgeId === purgeId);
    expect(events.length).toBe(1);
    expect(after.length).toBe(1);
  });
});
