import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_NAMES } from '../../../infra/local/names.js';
import { deliveriesPartition } from '../../../shared/notifications/keys.js';
import { verifySignature } from '../../../shared/notifications/signing.js';
import { NOTIFICATIONS_MANAGE } from '../../../shared/platform/scopes.js';
import { type OwnPlatform, sleep, startOwnPlatform, waitUntil } from '../delivery/own-platform.js';
import { ALL_SCOPES, organisation } from '../partner/support.js';
import { putNotices, type Receiver, startReceiver, waitForCount } from './support.js';

/**
 * At-least-once delivery with backoff, dead letters and redrive (issue 13, decision 0401), on a platform of
 * its own whose clock is short by configuration: the retry schedule is 1 s, 2 s, 1 s
 * (NOTIFICATION_RETRY_SECONDS) and the sweep runs every second (MYDATA_LOCAL_SCHEDULE_SECONDS), so hours
 * of backoff take seconds. A failing receiver never delays a healthy one.
 */
const RETRIES = [1, 2, 1];
let platform: OwnPlatform;
let tenant: string;
let partners: { failing: string; healthy: string };
let newPartner: (name: string) => Promise<string>;
const receivers: Receiver[] = [];

beforeAll(async () => {
  Object.assign(process.env, { NOTIFICATION_RETRY_SECONDS: RETRIES.join(','), MYDATA_LOCAL_SCHEDULE_SECONDS: '1' });
  try {
    platform = await startOwnPlatform();
  } finally {
    delete process.env.NOTIFICATION_RETRY_SECONDS;
    delete process.env.MYDATA_LOCAL_SCHEDULE_SECONDS;
  }
  tenant = `notify-r-${randomBytes(4).toString('hex')}`;
  const system = await platform.sign({ principal: 'system', sub: 'test-operator' });
  const onboarded = await platform.call('PUT', `/admin/v1/tenants/${tenant}`, {
    token: system,
    body: { name: `Tenant ${tenant}`, rootPartner: { name: `${tenant} GmbH` }, administrator: { vorname: 'Ada', nachname: 'Admin', email: `admin@${tenant}.example` } },
  });
  expect(onboarded.status).toBe(201);
  // Subscriptions need a registered, unlocked partner (attack finding L3): created below the root through the partner API.
  const admin = await platform.sign({ principal: 'partner', tenant, partner_id: onboarded.body.administratorPartnerId, sub: 'user-admin', client_id: 'app-1', scope: ALL_SCOPES });
  newPartner = async (name) => {
    const created = await platform.call('POST', `/v2/partner/${onboarded.body.rootPartnerId}/untergeordnete`, { token: admin, body: organisation(name) });
    expect(created.status).toBe(201);
    return created.body.partnerId as string;
  };
  partners = { failing: await newPartner('Failing GmbH'), healthy: await newPartner('Healthy GmbH') };
  expect((await platform.call('PUT', '/admin/v1/consentClasses/PartnerData', { token: system, body: { title: 'PartnerData', description: 'retries test' } })).status).toBeLessThan(300);
  const tenantToken = await platform.sign({ principal: 'tenant', tenant, sub: 'admin', scope: 'profile_consent_manage profile_consent_view' });
  const schema = await platform.call('PUT', `/profile-consent/v1/${tenant}/schemas/PartnerData`, {
    token: tenantToken,
    body: { consentClass: 'PartnerData', owner: 'user', title: 'PartnerData', description: 'PartnerData of the guest' },
  });
  expect(schema.status).toBeLessThan(300);
}, 90_000);

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await platform?.stop();
});

const tokenOf = (partner: string) => platform.sign({ principal: 'partner', tenant, partner_id: partner, sub: `svc-${partner}`, scope: NOTIFICATIONS_MANAGE });

async function subscribe(partner: string, receiver: Receiver) {
  const created = await platform.call('POST', '/profile/v1/subscriptions', { token: await tokenOf(partner), body: { url: receiver.url, entityTypes: ['PartnerData'] } });
  expect(created.status).toBe(201);
  return created.body as { subscriptionId: string; secret: string };
}

const noticeFor = (partnerId: string) => ({ tenant, partnerId, notice: 'data.changed' as const, guest: 'g-7', entityType: 'PartnerData', itemId: '9a3c5e7f-1b2d-4c6e-8f0a-1b2c3d4e5f60', version: 3 });

it('retries a failing receiver with backoff, dead-letters it, and a redrive delivers it — nothing lost; the healthy receiver is not held up', async () => {
  const failing = await startReceiver();
  const healthy = await startReceiver();
  receivers.push(failing, healthy);
  const broken = await subscribe(partners.failing, failing);
  await subscribe(partners.healthy, healthy);
  failing.answer(503);

  const started = Date.now();
  const [sent] = await putNotices(platform.eventsUrl, [noticeFor(partners.failing)]);
  await putNotices(platform.eventsUrl, [noticeFor(partners.healthy)]);
  await waitForCount(() => healthy.notices(), 1);
  // Well before the failing one's first retry is even due (1 s) plus its attempts: under load, a generous bound.
  expect(Date.now() - started).toBeLessThan(5_000);

  // The first attempt at once, then one per step of the schedule, then a dead letter.
  const attempts = await waitForCount(() => failing.notices(), RETRIES.length + 1, 30_000);
  const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
  RETRIES.forEach((seconds, i) => expect(gaps[i]).toBeGreaterThanOrEqual(seconds * 1000 - 50));
  const deliveryIds = new Set(attempts.map((a) => a.headers['mydata-delivery-id']));
  expect(deliveryIds.size).toBe(1);
  const token = await tokenOf(partners.failing);
  const dead = await waitUntil(async () => {
    const page = await platform.call('GET', `/profile/v1/subscriptions/${broken.subscriptionId}/deadletters`, { token });
    return page.body.deadLetters.length === 1 && page.body;
  });
  expect(dead.deadLetters[0]).toMatchObject({ notice: 'data.changed', attempts: RETRIES.length + 1, lastOutcome: 'status (HTTP 503)', body: { eventId: sent.eventId, guest: 'g-7' } });
  // The operator sees the same dead letter.
  const system = await platform.sign({ principal: 'system', sub: 'operator' });
  const operatorView = await platform.call('GET', `/admin/v1/tenants/${tenant}/partners/${partners.failing}/subscriptions/${broken.subscriptionId}/deadletters`, { token: system });
  expect(operatorView.body.deadLetters.map((d: { deliveryId: string }) => d.deliveryId)).toEqual([...deliveryIds]);
  // No more attempts once dead.
  await new Promise((r) => setTimeout(r, 2_500));
  expect(failing.notices()).toHaveLength(RETRIES.length + 1);

  failing.answer(200);
  const redriven = await platform.call('POST', `/profile/v1/subscriptions/${broken.subscriptionId}/deadletters/redrive`, { token });
  expect(redriven).toMatchObject({ status: 202, body: { redriven: 1, more: false } });
  const all = await waitForCount(() => failing.notices(), RETRIES.length + 2, 15_000);
  const last = all[all.length - 1];
  expect(last.headers['mydata-delivery-id']).toBe([...deliveryIds][0]);
  expect(verifySignature(last.headers['mydata-signature'] as string, last.body, [broken.secret], Math.floor(Date.now() / 1000))).toBe('valid');
  await waitUntil(async () => (await platform.call('GET', `/profile/v1/subscriptions/${broken.subscriptionId}/deadletters`, { token })).body.deadLetters.length === 0);
  // Delivered: it is not sent again.
  await new Promise((r) => setTimeout(r, 2_500));
  expect(failing.notices()).toHaveLength(RETRIES.length + 2);
}, 90_000);

it('the operator redrives too, and a second redrive of the same letters moves nothing', async () => {
  const failing = await startReceiver(500);
  receivers.push(failing);
  const partner = await newPartner('Operator Redrive GmbH');
  const broken = await subscribe(partner, failing);
  await putNotices(platform.eventsUrl, [noticeFor(partner), noticeFor(partner)]);
  const token = await tokenOf(partner);
  await waitUntil(async () => (await platform.call('GET', `/profile/v1/subscriptions/${broken.subscriptionId}/deadletters`, { token })).body.deadLetters.length === 2, 30_000);
  failing.answer(204);
  const system = await platform.sign({ principal: 'system', sub: 'operator' });
  const path = `/admin/v1/tenants/${tenant}/partners/${partner}/subscriptions/${broken.subscriptionId}/deadletters/redrive`;
  const [first, second] = await Promise.all([platform.call('POST', path, { token: system }), platform.call('POST', path, { token: system })]);
  expect(first.body.redriven + second.body.redriven).toBe(2);
  const delivered = await waitForCount(() => failing.received.filter((r) => r.json.notice === 'data.changed' && r.headers['mydata-signature'] && r.at > 0), 2 * (RETRIES.length + 1) + 2, 20_000);
  expect(new Set(delivered.map((r) => r.headers['mydata-delivery-id'])).size).toBe(2);
}, 90_000);

/** The subscription's delivery rows as stored (pending, held or dead; not the markers of delivered ones, decision 0422). */
async function deliveryRows(partner: string, subscriptionId: string) {
  const out = await platform.db.send(
    new QueryCommand({ TableName: LOCAL_NAMES.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': deliveriesPartition(tenant, partner, subscriptionId) }, ConsistentRead: true }),
  );
  return (out.Items ?? []).filter((row) => row.status !== 'delivered');
}

describe('pausing holds deliveries (decision 0414)', () => {
  it('holds a recorded delivery while paused (no attempt, no failure counted, no dead letter) and sends it once after the resume', async () => {
    const receiver = await startReceiver(503);
    receivers.push(receiver);
    const partner = await newPartner('Paused GmbH');
    const sub = await subscribe(partner, receiver);
    const token = await tokenOf(partner);
    const path = `/profile/v1/subscriptions/${sub.subscriptionId}`;
    await putNotices(platform.eventsUrl, [noticeFor(partner)]);
    // The first attempt fails: the row is recorded and waits for its retry (1 s).
    await waitForCount(() => receiver.notices(), 1, 15_000);
    expect((await platform.call('PATCH', path, { token, body: { paused: true } })).status).toBe(200);
    // An attempt that read the subscription just before the pause may still land: let it.
    await sleep(1_500);
    const sentBeforePause = receiver.notices().length;
    receiver.answer(204);
    // Unpaused, the schedule (1 s, 2 s, 1 s) would have sent it 3 more times and dead-lettered it by now.
    await sleep(8_000);
    expect(receiver.notices()).toHaveLength(sentBeforePause);
    const [held] = await deliveryRows(partner, sub.subscriptionId);
    expect(held).toMatchObject({ status: 'pending', attempts: sentBeforePause });
    expect(held.heldAt).toEqual(expect.any(String));
    expect((await platform.call('GET', `${path}/deadletters`, { token })).body.deadLetters).toEqual([]);

    expect((await platform.call('PATCH', path, { token, body: { paused: false } })).status).toBe(200);
    const all = await waitForCount(() => receiver.notices(), sentBeforePause + 1, 15_000);
    const resumed = all[all.length - 1];
    expect(resumed.headers['mydata-delivery-id']).toBe(all[0].headers['mydata-delivery-id']);
    expect(verifySignature(resumed.headers['mydata-signature'] as string, resumed.body, [sub.secret], Math.floor(Date.now() / 1000))).toBe('valid');
    await waitUntil(async () => (await deliveryRows(partner, sub.subscriptionId)).length === 0);
    // Delivered once: not sent again.
    await sleep(3_000);
    expect(receiver.notices()).toHaveLength(sentBeforePause + 1);
  }, 90_000);

  it('drops the held deliveries of a deleted subscription without sending them', async () => {
    const receiver = await startReceiver(503);
    receivers.push(receiver);
    const partner = await newPartner('Deleted GmbH');
    const sub = await subscribe(partner, receiver);
    const token = await tokenOf(partner);
    const path = `/profile/v1/subscriptions/${sub.subscriptionId}`;
    await putNotices(platform.eventsUrl, [noticeFor(partner), noticeFor(partner)]);
    await waitForCount(() => receiver.notices(), 2, 15_000);
    expect((await platform.call('PATCH', path, { token, body: { paused: true } })).status).toBe(200);
    await waitUntil(async () => (await deliveryRows(partner, sub.subscriptionId)).filter((row) => row.heldAt).length === 2, 15_000);
    const sent = receiver.notices().length;
    receiver.answer(204);
    expect((await platform.call('DELETE', path, { token })).status).toBe(204);
    await waitUntil(async () => (await deliveryRows(partner, sub.subscriptionId)).length === 0, 15_000);
    await sleep(2_000);
    expect(receiver.notices()).toHaveLength(sent);
  }, 90_000);
});
