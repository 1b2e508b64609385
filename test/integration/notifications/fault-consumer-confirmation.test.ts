import { call, waitFor } from '../../support/api.js';
import { pull, subscribedSecret } from '../crm/support.js';
import { type Guest, profileWorld, type World } from '../profile/support.js';
import { type FaultPlatform, startFaultPlatform } from './fault-platform.js';
import type { Receiver } from './support.js';

/**
 * Fault F2 (decision 0421): a purge cause or a `PartnerNotice` whose consumer fails every try the bus makes
 * (dead-lettered) is not lost without an operator: its outbox row waits for the consumer's confirmation, so
 * the outbox sweeper re-publishes it once its grace has passed — no `npm run replay`. On a platform of its own;
 * the consumer fails through the local bus's per-rule fault switch, the sweep is run "later" through the
 * control endpoint (as the schedule would run it after the grace period).
 */
let platform: FaultPlatform;
let world: World;
const receivers: Receiver[] = [];

beforeAll(async () => {
  platform = await startFaultPlatform();
  world = await profileWorld();
  await subscribedSecret(world.tenant, world.partnerA, receivers);
}, 180_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await platform?.stop();
});

const faults = (rule: string, failing: boolean) =>
  fetch(`${platform.endpoints.eventsUrl}/_local/faults/${rule}`, { method: 'PUT', body: JSON.stringify({ failing }) });
const deadLettersOf = async (rule: string) =>
  ((await (await fetch(`${platform.endpoints.eventsUrl}/_local/dead-letters`)).json()) as Array<{ ruleId: string; event: { detail: Record<string, unknown> } }>).filter((l) => l.ruleId === rule);
/** One outbox sweep as the schedule runs it after the grace period (2 min) and its first backoff have passed. */
const sweepLater = () => platform.control('sweep', { time: new Date(Date.now() + 10 * 60_000).toISOString() });

async function failUntilDeadLettered(rule: string, cause: () => Promise<void>, about: (detail: Record<string, unknown>) => boolean): Promise<void> {
  await faults(rule, true);
  try {
    await cause();
    await waitFor(async () => (await deadLettersOf(rule)).some((l) => about(l.event.detail)), { timeoutMs: 30_000 });
  } finally {
    await faults(rule, false);
  }
}

it('a relation end whose audience consumer failed until dead-lettered: the sweeper re-publishes it and the partner gets its purge', async () => {
  const guest: Guest = await world.guest();
  const token = await guest.token({ partner: world.partnerB, client: 'app-b' });
  expect((await call('PUT', '/profile/v1/partnerdata/basket', { token, body: { items: 1 } })).status).toBeLessThan(300);
  await failUntilDeadLettered('NoticePartnerOfRelationEnd', async () => {
    expect((await call('DELETE', `/profile/v1/me/relations/${world.partnerB}`, { token: await guest.token({ noPartner: true }) })).status).toBe(204);
  }, (detail) => detail.guest === guest.sub);
  const purges = async () => ((await pull(world.tenant, world.partnerB, '/purges?limit=500')).body.purges as Array<{ guest: string; reason: string }>).filter((p) => p.guest === guest.sub);
  expect(await purges()).toEqual([]);

  await sweepLater();
  const found = await waitFor(async () => ((await purges()).length > 0 ? purges() : undefined), { timeoutMs: 45_000 });
  expect(found).toEqual([expect.objectContaining({ reason: 'relation.ended' })]);
}, 150_000);

it('a PartnerNotice whose dispatcher failed until dead-lettered: the sweeper re-publishes it and the receiver gets it once', async () => {
  const [receiver] = receivers;
  const guest: Guest = await world.guest();
  await failUntilDeadLettered('DeliverPartnerNotice', async () => {
    expect((await call('PUT', '/profile/v1/partnerdata/wishlist', { token: await guest.token(), body: { items: ['tea'] } })).status).toBeLessThan(300);
  }, (detail) => detail.guest === guest.sub);
  const about = () => receiver!.notices().filter((r) => r.json.guest === guest.sub);
  expect(about()).toEqual([]);

  await sweepLater();
  await waitFor(async () => about().length > 0, { timeoutMs: 45_000 });
  expect(about()[0]!.json).toMatchObject({ notice: 'data.created', entityType: 'PartnerData', partnerId: world.partnerA });
  // Confirmed by the dispatcher now: a further sweep re-publishes nothing, the receiver gets no second delivery.
  await sweepLater();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(about()).toHaveLength(1);
}, 150_000);
