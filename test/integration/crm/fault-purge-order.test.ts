import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { Cause } from '../../../shared/crm/audience.js';
import { guestPurgePartition } from '../../../shared/crm/keys.js';
import { announce } from '../../../shared/crm/notices.js';
import { GSI2 } from '../../../shared/platform/table-design.js';
import { ENTITY, erasedRelationKey, relationKey } from '../../../shared/profile/keys.js';
import { tableNames, testDynamo } from '../../support/api.js';
import { useLocalPlatformFromTests } from '../consent/support.js';
import { profileWorld, type World } from '../profile/support.js';

/**
 * Fault F1 (decision 0420): a partner whose relation the guest ended gets exactly one purge whichever of
 * `RelationEnded` and `ProfileErased` the audience handles first — before the erasure, after it, or both at
 * once. In-process against DynamoDB Local: the relation rows are written as the profile writes them (the live
 * relation with its `endedAt`, then the erasure's tombstones), and the two causes run in the order under test.
 */
let world: World;
const RELATION_END: Cause = { notice: 'relation.ended', creator: 'B', purge: true };
const ERASURE: Cause = { notice: 'profile.erased', purge: true, erased: true };

beforeAll(async () => {
  useLocalPlatformFromTests();
  world = await profileWorld();
}, 60_000);

const put = (Item: Record<string, unknown>) => testDynamo().send(new PutCommand({ TableName: tableNames.data, Item }));

/** Partners A (active) and B (ended by the guest at `endedAt`), as the live relations are before `DELETE /me`. */
async function relationsBeforeErasure(guest: string, endedAt: string): Promise<void> {
  const base = { entityType: ENTITY.relation, tenant: world.tenant, guest, since: '2026-11-01T00:00:00.000Z' };
  await put({ ...relationKey(world.tenant, guest, 'A'), ...base, partnerId: 'A' });
  await put({ ...relationKey(world.tenant, guest, 'B'), ...base, partnerId: 'B', endedAt });
}

/** `DELETE /me`: the live relations go, tombstones keep each relation's end (A's is the erasure itself). */
async function erase(guest: string, endedAt: string): Promise<void> {
  const erasedAt = new Date().toISOString();
  for (const partnerId of ['A', 'B']) {
    await testDynamo().send(new DeleteCommand({ TableName: tableNames.data, Key: relationKey(world.tenant, guest, partnerId) }));
    await put({
      ...erasedRelationKey(world.tenant, guest, partnerId), entityType: ENTITY.erasedRelation, tenant: world.tenant, guest, partnerId,
      since: '2026-11-01T00:00:00.000Z', endedAt: partnerId === 'B' ? endedAt : erasedAt, erasedAt,
    });
  }
}

async function purgesByPartner(guest: string): Promise<Record<string, Array<Record<string, unknown>>>> {
  const out = await testDynamo().send(new QueryCommand({
    TableName: tableNames.data, IndexName: GSI2.name, KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': guestPurgePartition(world.tenant, guest) },
  }));
  const by: Record<string, Array<Record<string, unknown>>> = {};
  for (const row of out.Items ?? []) by[String(row.partnerId)] = [...(by[String(row.partnerId)] ?? []), row];
  return by;
}

const scenario = async () => ({ guest: `g-order-${randomUUID().slice(0, 8)}`, endedAt: new Date(Date.now() - 60_000).toISOString(), relationEndId: randomUUID(), erasureId: randomUUID() });

describe('a partner whose relation ended gets exactly one purge, whatever order the causes arrive in', () => {
  it('relation end handled before the erasure: its purge, and the erasure adds none for B', async () => {
    const { guest, endedAt, relationEndId, erasureId } = await scenario();
    await relationsBeforeErasure(guest, endedAt);
    expect((await announce(world.tenant, guest, relationEndId, RELATION_END)).written).toBe(1);
    await erase(guest, endedAt);
    await announce(world.tenant, guest, erasureId, ERASURE);
    const purges = await purgesByPartner(guest);
    expect(purges.B).toEqual([expect.objectContaining({ reason: 'relation.ended' })]);
    expect(purges.A).toEqual([expect.objectContaining({ reason: 'profile.erased' })]);
  });

  it('both handled after the erasure, the relation end first: it reads the tombstone', async () => {
    const { guest, endedAt, relationEndId, erasureId } = await scenario();
    await relationsBeforeErasure(guest, endedAt);
    await erase(guest, endedAt);
    expect((await announce(world.tenant, guest, relationEndId, RELATION_END)).written).toBe(1);
    expect((await announce(world.tenant, guest, erasureId, ERASURE)).written).toBe(1); // A only
    const purges = await purgesByPartner(guest);
    expect(purges.B).toEqual([expect.objectContaining({ reason: 'relation.ended' })]);
    expect(purges.A).toHaveLength(1);
  });

  it('the erasure handled first: B gets the purge with it, and the late relation end writes nothing more', async () => {
    const { guest, endedAt, relationEndId, erasureId } = await scenario();
    await relationsBeforeErasure(guest, endedAt);
    await erase(guest, endedAt);
    expect((await announce(world.tenant, guest, erasureId, ERASURE)).written).toBe(2);
    expect((await announce(world.tenant, guest, relationEndId, RELATION_END)).written).toBe(0);
    const purges = await purgesByPartner(guest);
    expect(purges.B).toEqual([expect.objectContaining({ reason: 'profile.erased' })]);
    expect(purges.A).toHaveLength(1);
  });

  it('both at once, each twice (redeliveries): one purge each', async () => {
    const { guest, endedAt, relationEndId, erasureId } = await scenario();
    await relationsBeforeErasure(guest, endedAt);
    await erase(guest, endedAt);
    await Promise.all([
      announce(world.tenant, guest, erasureId, ERASURE), announce(world.tenant, guest, relationEndId, RELATION_END),
      announce(world.tenant, guest, relationEndId, RELATION_END), announce(world.tenant, guest, erasureId, ERASURE),
    ]);
    const purges = await purgesByPartner(guest);
    expect(purges.B).toHaveLength(1);
    expect(purges.A).toHaveLength(1);
  });
});
