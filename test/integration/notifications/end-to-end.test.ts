import type { ChildProcess } from 'node:child_process';
import { signatureHeader, verifySignature } from '../../../shared/notifications/signing.js';
import { CRM_READ, NOTIFICATIONS_MANAGE, scopeClaim } from '../../../shared/platform/scopes.js';
import { call, tokenFor } from '../../support/api.js';
import { spawnPlatform, stopPlatform } from '../../support/platform-process.js';
import { type Guest, profileWorld, type World } from '../profile/support.js';
import { type Received, type Receiver, startReceiver, waitForCount } from './support.js';

/**
 * Issue 13's "Done means", end to end over HTTP, on a platform of its own whose retry clock is short by
 * configuration (retries after 1 s and 1 s, the sweep every second): a partner registers a receiver; a guest
 * writes data through the partner's app; the receiver gets a signed notification, verifies it and pulls the
 * data; another partner receives nothing; the guest revokes; the receiver gets the purge notice, the pull
 * answers 410, the signed acknowledgement is recorded and the guest sees it; a failing receiver is retried,
 * dead-lettered and redriven — nothing lost. Nothing here is simulated: the notices come from the CRM
 * audience reacting to the guest's own requests.
 */
const SUITE_ENV = ['MYDATA_API_URL', 'MYDATA_EVENTS_URL', 'MYDATA_DYNAMODB_URL', 'MYDATA_CONTROL_URL'] as const;
const saved: Partial<Record<(typeof SUITE_ENV)[number], string>> = {};
let child: ChildProcess;
let world: World;
const receivers: Receiver[] = [];
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  for (const name of SUITE_ENV) saved[name] = process.env[name];
  Object.assign(process.env, { NOTIFICATION_RETRY_SECONDS: '1,1', MYDATA_LOCAL_SCHEDULE_SECONDS: '1' });
  try {
    // The suite's issuer key, so the suite's token helper signs for this platform too.
    const started = await spawnPlatform(['--no-seed', '--issuer-key', process.env.MYDATA_ISSUER_KEY_FILE!], 'ignore');
    child = started.child;
    Object.assign(process.env, {
      MYDATA_API_URL: started.endpoints.apiUrl,
      MYDATA_EVENTS_URL: started.endpoints.eventsUrl,
      MYDATA_DYNAMODB_URL: started.endpoints.dynamoUrl,
      MYDATA_CONTROL_URL: started.endpoints.controlUrl,
    });
  } finally {
    delete process.env.NOTIFICATION_RETRY_SECONDS;
    delete process.env.MYDATA_LOCAL_SCHEDULE_SECONDS;
  }
  world = await profileWorld();
}, 180_000);

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  if (child) await stopPlatform(child);
  Object.assign(process.env, saved);
});

const partnerToken = (partner: string) => tokenFor({ principal: 'partner', tenant: world.tenant, partner, sub: `crm-${partner}`, scope: scopeClaim(NOTIFICATIONS_MANAGE, CRM_READ) });

async function register(partner: string) {
  const hook = await startReceiver();
  receivers.push(hook);
  const created = await call('POST', '/profile/v1/subscriptions', { token: await partnerToken(partner), body: { url: hook.url, entityTypes: ['PartnerData'] } });
  expect(created.status).toBe(201);
  return { hook, subscriptionId: created.body.subscriptionId as string, secret: created.body.secret as string };
}

/** The receiver's deliveries about one guest (what a CRM would look at), verified like a receiver does. */
function aboutGuest(hook: Receiver, guest: Guest, secret: string): Received[] {
  const mine = hook.notices().filter((r) => r.json.guest === guest.sub);
  for (const delivery of mine) expect(verifySignature(delivery.headers['mydata-signature'] as string, delivery.body, [secret], now())).toBe('valid');
  return mine;
}

const write = async (guest: Guest, name: string, body: unknown) => {
  const answer = await call('PUT', `/profile/v1/partnerdata/${name}`, { token: await guest.token(), body });
  expect(answer.status).toBeLessThan(300);
};

it('a partner is notified, pulls, is told to forget, acknowledges — and another partner learns nothing', async () => {
  const a = await register(world.partnerA);
  const b = await register(world.partnerB);
  const guest = await world.guest();
  await write(guest, 'favourites', { drinks: ['espresso'] });

  const [created] = await waitForCount(() => aboutGuest(a.hook, guest, a.secret), 1, 45_000);
  expect(created.json).toMatchObject({ notice: 'data.created', entityType: 'PartnerData', partnerId: world.partnerA, version: 1, subscriptionId: a.subscriptionId });
  // Thin: nothing of the object itself travels in the notification.
  expect(created.body).not.toContain('espresso');
  const pulled = await call('GET', `/profile/v1/crm/guests/${guest.sub}/data/PartnerData`, { token: await partnerToken(world.partnerA) });
  expect(pulled.status).toBe(200);
  expect(pulled.body.items).toEqual([expect.objectContaining({ itemId: created.json.itemId, version: 1, data: { drinks: ['espresso'] } })]);

  expect((await world.setConsent(guest, 'PartnerData', false)).status).toBeLessThan(300);
  const purgeNotice = (await waitForCount(() => aboutGuest(a.hook, guest, a.secret).filter((r) => r.json.notice === 'purge.required'), 1, 45_000))[0];
  const purgeId = purgeNotice.json.purgeId as string;
  expect(purgeId).toEqual(expect.any(String));
  // The revoke's own notice travels as its own event: it may arrive before or after the purge's.
  await waitForCount(() => aboutGuest(a.hook, guest, a.secret).filter((r) => r.json.notice === 'consent.revoked'), 1, 45_000);
  expect((await call('GET', `/profile/v1/crm/guests/${guest.sub}/data/PartnerData`, { token: await partnerToken(world.partnerA) })).status).toBe(410);

  const ackBody = JSON.stringify({ purgeId });
  const ack = await call('POST', `/profile/v1/crm/purges/${purgeId}/acknowledgement`, {
    token: await partnerToken(world.partnerA),
    rawBody: ackBody,
    headers: { 'mydata-signature': signatureHeader([a.secret], now(), ackBody) },
  });
  expect(ack.status).toBe(201);
  expect(ack.body.recorded).toBe(true);
  const seenByGuest = await call('GET', '/profile/v1/me/purges', { token: await guest.token({ noPartner: true }) });
  expect(seenByGuest.status).toBe(200);
  expect(JSON.stringify(seenByGuest.body)).toContain(purgeId);
  expect(JSON.stringify(seenByGuest.body)).toContain('"acknowledged":true');

  // Partner B never related to the guest: not one delivery about it.
  await new Promise((r) => setTimeout(r, 1_000));
  expect(b.hook.notices().filter((r) => r.json.guest === guest.sub)).toEqual([]);
}, 180_000);

it('a failing receiver is retried, dead-lettered and redriven: nothing lost', async () => {
  const failing = await register(world.partnerA);
  failing.hook.answer(503);
  const guest = await world.guest();
  await write(guest, 'basket', { items: 2 });

  // First attempt plus two retries (1 s, 1 s), then a dead letter of the subscription.
  const attempts = await waitForCount(() => aboutGuest(failing.hook, guest, failing.secret), 3, 45_000);
  expect(new Set(attempts.map((r) => r.headers['mydata-delivery-id'])).size).toBe(1);
  const token = await partnerToken(world.partnerA);
  const deadLetters = async () => (await call('GET', `/profile/v1/subscriptions/${failing.subscriptionId}/deadletters`, { token })).body.deadLetters as Array<{ deliveryId: string; body: { guest: string } }>;
  const deadline = Date.now() + 45_000;
  while ((await deadLetters()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const [letter] = await deadLetters();
  expect(letter).toMatchObject({ deliveryId: attempts[0].headers['mydata-delivery-id'], body: { guest: guest.sub } });

  failing.hook.answer(200);
  const redriven = await call('POST', `/profile/v1/subscriptions/${failing.subscriptionId}/deadletters/redrive`, { token });
  expect(redriven.body).toEqual({ redriven: 1, more: false });
  const all = await waitForCount(() => aboutGuest(failing.hook, guest, failing.secret), 4, 45_000);
  expect(all[3].json).toEqual(attempts[0].json);
  expect(await deadLetters()).toEqual([]);
}, 180_000);
