import { randomUUID } from 'node:crypto';
import { call } from '../../support/api.js';
import { profileWorld, type World } from '../profile/support.js';
import { partnerToken, putNotices, type Receiver, startReceiver, waitForCount } from './support.js';

/**
 * Fault F3 (decision 0422): a `PartnerNotice` delivered successfully and then delivered again — a bus
 * redelivery, the outbox sweeper's re-publish (decision 0421), an operator's replay — is not sent a second time:
 * the delivered row stays as a small marker (TTL), so recording it again finds it and records nothing.
 * On the suite's platform, the notice put on the local bus as the outbox pipe would, twice with the same id.
 */
let world: World;
let receiver: Receiver;
const events = () => process.env.MYDATA_EVENTS_URL!;

beforeAll(async () => {
  world = await profileWorld();
  receiver = await startReceiver();
  const created = await call('POST', '/profile/v1/subscriptions', { token: await partnerToken(world.tenant, world.partnerA), body: { url: receiver.url, entityTypes: ['PartnerData'] } });
  expect(created.status).toBe(201);
}, 60_000);
afterAll(() => receiver?.close());

it('a notice replayed after its successful delivery is not sent again', async () => {
  const guest = `g-replay-${randomUUID().slice(0, 8)}`;
  const [sent] = await putNotices(events(), [{ tenant: world.tenant, partnerId: world.partnerA, guest, notice: 'data.created', entityType: 'PartnerData', itemId: randomUUID(), version: 1 }]);
  const about = () => receiver.notices().filter((r) => r.json.guest === guest);
  await waitForCount(about, 1, 20_000);

  // The same notice again, twice (same eventId, as a re-publish or replay carries it).
  await putNotices(events(), [sent!, sent!]);
  // A later notice for the same guest, as a barrier: once it arrived, the replays were handled before or with it.
  await putNotices(events(), [{ tenant: world.tenant, partnerId: world.partnerA, guest, notice: 'data.changed', entityType: 'PartnerData', itemId: sent!.itemId, version: 2 }]);
  await waitForCount(about, 2, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(about().map((r) => r.json.notice)).toEqual(['data.created', 'data.changed']);
}, 60_000);
