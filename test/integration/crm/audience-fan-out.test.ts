import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { announce, RELATION_PAGE, recipientWrites } from '../../../shared/crm/notices.js';
import { transact } from '../../../shared/platform/table/index.js';
import { crmShard, feedPartition } from '../../../shared/crm/keys.js';
import { ENTITY, relationIndexKeys, relationKey } from '../../../shared/profile/keys.js';
import { tableNames, testDynamo, waitFor } from '../../support/api.js';
import { useLocalPlatformFromTests } from '../consent/support.js';
import { profileWorld, type World } from '../profile/support.js';

/**
 * The audience's fan-out over a guest's related partners, in-process against DynamoDB Local with the platform's
 * consumers running: bounded pages (≤ RELATION_PAGE relations an invocation), the rest handed on through the
 * outbox (PartnerNoticesContinued, run by the local consumer), and a redelivered cause writes nothing twice.
 */
let world: World;
const PARTNERS = 60;

beforeAll(async () => {
  useLocalPlatformFromTests();
  world = await profileWorld();
}, 60_000);

async function relate(guest: string, partnerId: string, endedAt?: string): Promise<void> {
  await testDynamo().send(new PutCommand({
    TableName: tableNames.data,
    Item: {
      ...relationKey(world.tenant, guest, partnerId), ...relationIndexKeys(world.tenant, partnerId, guest), entityType: ENTITY.relation,
      tenant: world.tenant, guest, partnerId, clientId: 'app-x', apps: ['app-x'], since: new Date().toISOString(), ...(endedAt ? { endedAt } : {}),
    },
  }));
}

async function feedOf(partnerId: string, guest: string): Promise<Record<string, unknown>[]> {
  const out = await testDynamo().send(new QueryCommand({
    TableName: tableNames.data,
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': feedPartition(world.tenant, partnerId, crmShard(guest)) },
  }));
  return (out.Items ?? []).filter((row) => row.guest === guest);
}

describe("the audience's fan-out over a guest's relations", () => {
  it('tells every active related partner of a shared type once, in bounded pages, and a redelivery writes nothing', async () => {
    const guest = `g-fan-${randomUUID().slice(0, 8)}`;
    const partners = Array.from({ length: PARTNERS }, (_, i) => `FAN${String(i).padStart(3, '0')}`);
    await Promise.all([...partners.map((p) => relate(guest, p)), relate(guest, 'ENDED1', '2026-11-01T00:00:00.000Z')]);
    const causeEventId = randomUUID();
    const cause = { notice: 'data.changed' as const, entityType: 'Person', itemId: randomUUID(), version: 3, creator: partners[0], purge: false };

    const first = await announce(world.tenant, guest, causeEventId, cause);
    expect(first.recipients).toBeLessThanOrEqual(RELATION_PAGE);
    expect(first.continued).toBe(true);

    // The local consumer runs the continuation pages until every relation was decided on.
    await waitFor(async () => (await Promise.all(partners.map((p) => feedOf(p, guest)))).every((rows) => rows.length === 1), { timeoutMs: 30_000 });
    expect(await feedOf('ENDED1', guest)).toEqual([]);

    // The same cause again (a redelivery): the same ids, nothing written.
    const again = await announce(world.tenant, guest, causeEventId, cause);
    expect(again.written).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await Promise.all(partners.map((p) => feedOf(p, guest)));
    expect(rows.every((r) => r.length === 1)).toBe(true);
    expect(rows.map((r) => r[0]!.notice)).toEqual(partners.map(() => 'data.changed'));
    expect(new Set(rows.map((r) => r[0]!.eventId)).size).toBe(PARTNERS);
  }, 60_000);

  it('resumes a page that crashed part-way: the re-run writes only the recipients the crashed run had not', async () => {
    const guest = `g-crash-${randomUUID().slice(0, 8)}`;
    const partners = Array.from({ length: 10 }, (_, i) => `CR${String(i).padStart(3, '0')}`);
    await Promise.all(partners.map((p) => relate(guest, p)));
    const causeEventId = randomUUID();
    const cause = { notice: 'relation.ended' as const, creator: partners[0], purge: true };
    // The guest ended partner 0's relation; the crashed run had written that partner's notices and then died.
    await relate(guest, partners[0]!, new Date().toISOString());
    await transact(recipientWrites(world.tenant, guest, causeEventId, cause, partners[0]!));
    const rerun = await announce(world.tenant, guest, causeEventId, cause);
    expect(rerun).toMatchObject({ recipients: 1, written: 0 });
    const shared = { notice: 'data.changed' as const, entityType: 'Person', itemId: randomUUID(), version: 1, creator: partners[1], purge: false };
    const sharedId = randomUUID();
    for (const p of partners.slice(1, 4)) await transact(recipientWrites(world.tenant, guest, sharedId, shared, p));
    const resumed = await announce(world.tenant, guest, sharedId, shared);
    // Nine active relations: three written before the crash, six now.
    expect(resumed).toMatchObject({ recipients: 9, written: 6 });
    for (const p of partners.slice(1)) expect((await feedOf(p, guest)).filter((row) => row.causeEventId === sharedId)).toHaveLength(1);
  });

  it('writes a purge per partner for a revoke of a shared type, under ids derived from cause and partner', async () => {
    const guest = `g-rev-${randomUUID().slice(0, 8)}`;
    const partners = ['REV001', 'REV002', 'REV003'];
    await Promise.all(partners.map((p) => relate(guest, p)));
    const causeEventId = randomUUID();
    const cause = { notice: 'consent.revoked' as const, entityType: 'Person', purge: true };
    // Five deliveries of the cause at once: each partner's notices are written by exactly one of them.
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => announce(world.tenant, guest, causeEventId, cause)));
    expect(outcomes.map((o) => o.written).reduce((a, b) => a + b, 0)).toBe(partners.length);
    for (const p of partners) {
      const feed = await feedOf(p, guest);
      expect(feed.map((row) => row.notice).sort()).toEqual(['consent.revoked', 'purge.required']);
      expect(feed[0]!.purgeId).toBe(feed[1]!.purgeId);
    }
  });
});
