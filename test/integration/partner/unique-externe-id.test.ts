import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { externeIdClaimKey, externeIdPartition } from '../../../shared/partner/keys.js';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { createPartner, newTenant, organisation, person, type Tenant } from './support.js';

/**
 * Issue 9 §4: `externePartnerId` is unique among the children of one parent (the create-or-update
 * contract of POST …/untergeordnete), guarded by a claim item written in the same transaction as the
 * partner (decision 0021). Assertions read the stored state, not only the statuses.
 */
let t: Tenant;
let org: string;

beforeAll(async () => {
  t = await newTenant('extid');
  org = await createPartner(t.adminToken, t.admin, organisation('Extern GmbH'));
}, 60_000);

/** Every stored partner of the tenant carrying `external`, read from the table (not through the API). */
async function partnersWithExterneId(external: string): Promise<Array<{ partnerId: string; parentId: string; attributes: Record<string, unknown> }>> {
  const out = await testDynamo().send(
    new QueryCommand({
      TableName: tableNames.data,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': externeIdPartition(t.tenant, external) },
    }),
  );
  return (out.Items ?? []) as never;
}

async function claimOf(parent: string, external: string): Promise<string | undefined> {
  const out = await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: { ...externeIdClaimKey(t.tenant, parent, external) }, ConsistentRead: true }));
  return out.Item?.partnerId as string | undefined;
}

const post = (parent: string, body: Record<string, unknown>) => call('POST', `/v2/partner/${parent}/untergeordnete`, { token: t.adminToken, body });
const locationId = (headers: Headers) => headers.get('location')?.split('/').pop();

describe('concurrent creates with one external id (create-or-update)', () => {
  it('with a new external id: exactly one 201, eleven 205 updating that partner, one partner stored', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => post(org, person('Race', { externePartnerId: 'race-new' }))));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(11).fill(205)]);
    const ids = new Set(responses.map((r) => locationId(r.headers)));
    expect(ids.size).toBe(1);
    const stored = await partnersWithExterneId('race-new');
    expect(stored.map((p) => p.partnerId)).toEqual([...ids]);
    expect(stored[0].parentId).toBe(org);
    expect(await claimOf(org, 'race-new')).toBe(stored[0].partnerId);
  });

  it('with an existing external id and differing bodies: twelve 205, never 5xx, still one partner holding one of the sent values', async () => {
    const existing = await createPartner(t.adminToken, org, person('Known', { externePartnerId: 'race-known' }));
    const phones = Array.from({ length: 12 }, (_, i) => `030 ${i}`);
    const responses = await Promise.all(phones.map((telefonnummer) => post(org, person('Known', { externePartnerId: 'race-known', telefonnummer }))));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(205));
    expect(new Set(responses.map((r) => locationId(r.headers)))).toEqual(new Set([existing]));
    const stored = await partnersWithExterneId('race-known');
    expect(stored.map((p) => p.partnerId)).toEqual([existing]);
    expect(phones).toContain(stored[0].attributes.telefonnummer);
  });

  it('keeps the external id per parent: the same id below another parent is another partner', async () => {
    const other = await createPartner(t.adminToken, t.admin, organisation('Andere GmbH'));
    const first = await createPartner(t.adminToken, org, person('Twin', { externePartnerId: 'per-parent' }));
    const second = await post(other, person('Twin', { externePartnerId: 'per-parent' }));
    expect(second.status).toBe(201);
    expect(locationId(second.headers)).not.toBe(first);
    expect((await partnersWithExterneId('per-parent')).map((p) => p.parentId).sort()).toEqual([org, other].sort());
  });
});

describe('changing or moving an external id keeps it unique', () => {
  it('PATCH to a sibling’s external id is a 409 and changes nothing; to a free one moves the claim', async () => {
    const a = await createPartner(t.adminToken, org, person('A', { externePartnerId: 'patch-a' }));
    const b = await createPartner(t.adminToken, org, person('B', { externePartnerId: 'patch-b' }));
    const taken = await call('PATCH', `/v2/partner/${b}`, { token: t.adminToken, body: { externePartnerId: 'patch-a', telefonnummer: '1' } });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'ExternePartnerIdTaken', traceId: expect.any(String) });
    expect((await partnersWithExterneId('patch-a')).map((p) => p.partnerId)).toEqual([a]);
    const bNow = await call('GET', `/v2/partner/${b}`, { token: t.adminToken });
    expect(bNow.body).toMatchObject({ externePartnerId: 'patch-b' });
    expect(bNow.body.telefonnummer).toBeUndefined();

    const moved = await call('PATCH', `/v2/partner/${b}`, { token: t.adminToken, body: { externePartnerId: 'patch-c' } });
    expect(moved.status).toBe(200);
    expect(await claimOf(org, 'patch-b')).toBeUndefined();
    expect(await claimOf(org, 'patch-c')).toBe(b);
    // The freed id creates a new partner; the new one updates b.
    expect((await post(org, person('B2', { externePartnerId: 'patch-b' }))).status).toBe(201);
    const update = await post(org, person('B', { externePartnerId: 'patch-c' }));
    expect(update.status).toBe(205);
    expect(locationId(update.headers)).toBe(b);

    const removed = await call('PATCH', `/v2/partner/${b}`, { token: t.adminToken, body: { externePartnerId: '' } });
    expect(removed.status).toBe(200);
    expect(await claimOf(org, 'patch-c')).toBeUndefined();
  });

  it('moving a partner below a parent whose child has its external id is a 409; the partner stays', async () => {
    const target = await createPartner(t.adminToken, t.admin, organisation('Ziel GmbH'));
    await createPartner(t.adminToken, target, person('Resident', { externePartnerId: 'move-x' }));
    const mover = await createPartner(t.adminToken, org, person('Mover', { externePartnerId: 'move-x' }));
    const refused = await call('PUT', `/v2/partner/${mover}/parent`, { token: t.adminToken, body: { partnerId: target } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ExternePartnerIdTaken' });
    expect((await call('GET', `/v2/partner/${mover}`, { token: t.adminToken })).body.parent).toEqual({ partnerId: org });
    expect(await claimOf(org, 'move-x')).toBe(mover);

    const free = await createPartner(t.adminToken, t.admin, organisation('Frei GmbH'));
    const ok = await call('PUT', `/v2/partner/${mover}/parent`, { token: t.adminToken, body: { partnerId: free } });
    expect(ok.status).toBe(200);
    expect(await claimOf(org, 'move-x')).toBeUndefined();
    expect(await claimOf(free, 'move-x')).toBe(mover);
  });
});
