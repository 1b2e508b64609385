import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CRM_RATE_ENTITY, CRM_REQUESTS_PER_MINUTE, crmRateKey } from '../../../shared/crm/rate.js';
import { call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import type { Receiver } from '../notifications/support.js';
import { type Guest, profileWorld, type World } from '../profile/support.js';
import { acknowledge, pull, subscribedSecret } from './support.js';

/**
 * The per-partner request rate of the CRM routes (decision 0404) over HTTP against the local platform. The
 * minute's counter is set to a few requests short of the limit first (as if the partner had used the rest of
 * the minute already): a burst of 1,200 real requests would only measure the loaded test machine.
 */
let world: World;
let guest: Guest;
let secretA: string;
let purge: { purgeId: string };
const receivers: Receiver[] = [];

const minuteNow = () => Math.floor(Date.now() / 60_000);
const rateKey = (partner: string, minute: number) => crmRateKey(world.tenant, partner, minute);

/** Used `used` of the partner's requests this minute; waits for a fresh minute when less than 30 s of it are left. */
async function useUpRate(partner: string, used: number): Promise<number> {
  if (new Date().getUTCSeconds() > 30) await new Promise((r) => setTimeout(r, (61 - new Date().getUTCSeconds()) * 1000));
  const minute = minuteNow();
  await testDynamo().send(new PutCommand({ TableName: tableNames.data, Item: { ...rateKey(partner, minute), entityType: CRM_RATE_ENTITY, requests: used, expiresAt: (minute + 2) * 60 } }));
  return minute;
}

async function counted(partner: string, minute: number): Promise<number | undefined> {
  const { Item } = await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: rateKey(partner, minute), ConsistentRead: true }));
  return Item?.requests as number | undefined;
}

beforeAll(async () => {
  world = await profileWorld();
  secretA = await subscribedSecret(world.tenant, world.partnerA, receivers);
  guest = await world.guest();
  expect((await call('PUT', '/profile/v1/partnerdata/favourites', { token: await guest.token(), body: { items: ['espresso'] } })).status).toBe(201);
  // A purge to acknowledge, before any test uses up partner A's rate: another guest revokes PartnerData.
  const revoked = await world.guest();
  expect((await call('PUT', '/profile/v1/partnerdata/favourites', { token: await revoked.token(), body: { items: ['tea'] } })).status).toBe(201);
  expect((await world.setConsent(revoked, 'PartnerData', false)).status).toBeLessThan(300);
  purge = await waitFor(async () => {
    const page = await pull(world.tenant, world.partnerA, '/purges?limit=500');
    return (page.body.purges as { guest: string; purgeId: string }[] | undefined)?.find((p) => p.guest === revoked.sub);
  }, { timeoutMs: 45_000 });
}, 120_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

describe('the per-partner CRM request rate', () => {
  it(`serves exactly the ${CRM_REQUESTS_PER_MINUTE} requests of a minute out of a parallel burst, answers the rest 429 with Retry-After, and leaves another partner unaffected`, async () => {
    const left = 10;
    const minute = await useUpRate(world.partnerA, CRM_REQUESTS_PER_MINUTE - left);
    const burst = await Promise.all(Array.from({ length: 40 }, () => pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData`)));
    const served = burst.filter((r) => r.status === 200);
    const refused = burst.filter((r) => r.status === 429);
    expect(served).toHaveLength(left);
    expect(refused).toHaveLength(40 - left);
    expect(served.every((r) => (r.body.items as unknown[]).length === 1)).toBe(true);
    for (const r of refused) {
      expect(r.body.code).toBe('CrmRequestRateExceeded');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // Refused requests do not count: the counter stops at the limit.
    expect(await counted(world.partnerA, minute)).toBe(CRM_REQUESTS_PER_MINUTE);

    // Another partner of the same tenant pulls as before, on its own counter.
    const other = await Promise.all(Array.from({ length: 5 }, () => pull(world.tenant, world.partnerB, '/guests')));
    expect(other.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await counted(world.partnerB, minute)).toBe(5);
  }, 120_000);

  it('answers 429 on every CRM route over the limit, before any other answer, and an acknowledgement refused so writes nothing', async () => {
    const minute = await useUpRate(world.partnerA, CRM_REQUESTS_PER_MINUTE);
    const answers = await Promise.all([
      pull(world.tenant, world.partnerA, '/guests'),
      pull(world.tenant, world.partnerA, `/changes?changedSince=${new Date(Date.now() - 60_000).toISOString()}`),
      pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData`),
      pull(world.tenant, world.partnerA, `/guests/${guest.sub}/data/PartnerData/6f1c2e0a-8a55-4b8e-9d3a-0c6f3d1f2b11`),
      pull(world.tenant, world.partnerA, '/guests/nobody-at-all/data/PartnerData'),
      pull(world.tenant, world.partnerA, '/purges'),
      acknowledge(world.tenant, world.partnerA, purge.purgeId, { secret: secretA }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([429, 429, 429, 429, 429, 429, 429]);
    expect(answers.every((a) => a.body.code === 'CrmRequestRateExceeded')).toBe(true);
    expect(await counted(world.partnerA, minute)).toBe(CRM_REQUESTS_PER_MINUTE);
    // The refused acknowledgement wrote nothing: the purge is still pending once the next minute's requests count.
    await new Promise((r) => setTimeout(r, (61 - new Date().getUTCSeconds()) * 1000));
    const pending = await pull(world.tenant, world.partnerA, '/purges?limit=500');
    expect(pending.status).toBe(200);
    expect((pending.body.purges as { purgeId: string }[]).some((p) => p.purgeId === purge.purgeId)).toBe(true);
    const acknowledged = await acknowledge(world.tenant, world.partnerA, purge.purgeId, { secret: secretA });
    expect(acknowledged.status).toBe(201);
  }, 180_000);
});
