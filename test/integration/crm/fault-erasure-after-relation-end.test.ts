import { call, waitFor } from '../../support/api.js';
import { type FaultPlatform, startFaultPlatform } from '../notifications/fault-platform.js';
import { type Guest, profileWorld, type World } from '../profile/support.js';
import { pull } from './support.js';

/**
 * Fault F1 over HTTP (decision 0420), as the fault injector ran it, on a platform of its own: the guest writes
 * through partners A and B, both pull; with the relay stopped the guest ends B's relation and erases; the relay
 * starts again and the audience handles `RelationEnded` and `ProfileErased` after the erasure, in whatever order.
 * Both partners get exactly one purge. And in the ordinary order (the relation end handled before the erasure)
 * B keeps its one purge — the erasure adds no second.
 */
let platform: FaultPlatform;
let world: World;

beforeAll(async () => {
  platform = await startFaultPlatform();
  world = await profileWorld();
}, 180_000);
afterAll(async () => {
  await platform?.stop();
});

async function guestWithDataOfAAndB(): Promise<Guest> {
  const guest = await world.guest();
  for (const [partner, client] of [[world.partnerA, undefined], [world.partnerB, 'app-b']] as const) {
    const token = await guest.token(client ? { partner, client } : {});
    expect((await call('PUT', `/profile/v1/partnerdata/basket-${client ?? 'a'}`, { token, body: { items: 1 } })).status).toBeLessThan(300);
    expect((await pull(world.tenant, partner, `/guests/${guest.sub}/data/PartnerData`)).status).toBe(200);
  }
  return guest;
}

async function purgesOf(partner: string, guest: Guest): Promise<Array<Record<string, unknown>>> {
  const page = await pull(world.tenant, partner, '/purges?limit=500');
  return (page.body.purges as Array<Record<string, unknown>>).filter((p) => p.guest === guest.sub);
}


it('relation end and erasure both handled after the erasure (relay down meanwhile): A and B each get exactly one purge', async () => {
  const guest = await guestWithDataOfAAndB();
  await platform.control('relay/stop');
  try {
    const token = await guest.token({ noPartner: true });
    expect((await call('DELETE', `/profile/v1/me/relations/${world.partnerB}`, { token })).status).toBe(204);
    expect((await call('DELETE', '/profile/v1/me', { token })).status).toBe(204);
  } finally {
    await platform.control('relay/start');
  }
  const [a, b] = await Promise.all([
    waitFor(async () => ((await purgesOf(world.partnerA, guest)).length > 0 ? purgesOf(world.partnerA, guest) : undefined), { timeoutMs: 60_000 }),
    waitFor(async () => ((await purgesOf(world.partnerB, guest)).length > 0 ? purgesOf(world.partnerB, guest) : undefined), { timeoutMs: 60_000 }),
  ]);
  expect(a).toEqual([expect.objectContaining({ reason: 'profile.erased' })]);
  expect(b).toHaveLength(1);
  // Both causes were handled by now or soon: still one each.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await purgesOf(world.partnerA, guest)).toHaveLength(1);
  expect(await purgesOf(world.partnerB, guest)).toHaveLength(1);
}, 120_000);

it('relation end handled before the erasure: B keeps its one purge (relation.ended), A gets the erasure\'s', async () => {
  const guest = await guestWithDataOfAAndB();
  const token = await guest.token({ noPartner: true });
  expect((await call('DELETE', `/profile/v1/me/relations/${world.partnerB}`, { token })).status).toBe(204);
  await waitFor(async () => (await purgesOf(world.partnerB, guest)).length > 0, { timeoutMs: 60_000 });
  expect((await call('DELETE', '/profile/v1/me', { token })).status).toBe(204);
  await waitFor(async () => (await purgesOf(world.partnerA, guest)).length > 0, { timeoutMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await purgesOf(world.partnerB, guest)).toEqual([expect.objectContaining({ reason: 'relation.ended' })]);
  expect(await purgesOf(world.partnerA, guest)).toEqual([expect.objectContaining({ reason: 'profile.erased' })]);
}, 120_000);
