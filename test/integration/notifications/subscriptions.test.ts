import { call } from '../../support/api.js';
import { verifySignature } from '../../../shared/notifications/signing.js';
import { profileWorld, type World } from '../profile/support.js';
import { partnerToken, putNotices, type Receiver, startReceiver, waitForCount } from './support.js';

/**
 * Subscribe and deliver (issue 13) on the suite's platform: a partner registers webhook receivers (real
 * HTTP servers on loopback), PartnerNotices are put on the local bus with the real SDK, and the receivers
 * get signed, thin deliveries — only the ones they are subscribed for.
 */
const events = () => process.env.MYDATA_EVENTS_URL!;
const now = () => Math.floor(Date.now() / 1000);

let world: World;
const receivers: Receiver[] = [];
const receiver = async (status = 204) => {
  const started = await startReceiver(status);
  receivers.push(started);
  return started;
};

beforeAll(async () => {
  world = await profileWorld({ extraSchemas: ['Order'] });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function subscribe(partner: string, body: Record<string, unknown>) {
  const response = await call('POST', '/profile/v1/subscriptions', { token: await partnerToken(world.tenant, partner), body });
  if (response.status !== 201) throw new Error(`subscribe: ${response.status} ${response.text}`);
  return response.body as { subscriptionId: string; secret: string; version: number };
}

const notice = (partnerId: string, extra: Record<string, unknown> = {}) => ({
  tenant: world.tenant,
  partnerId,
  notice: 'data.created' as const,
  guest: 'g-1',
  entityType: 'PartnerData',
  itemId: '6f1c2e0a-8a55-4b8e-9d3a-0c6f3d1f2b11',
  version: 1,
  ...extra,
});

describe('a partner subscribes and receives signed notices', () => {
  it('registers a receiver, proves it with a signed ping, and delivers a signed thin notice with a delivery id', async () => {
    const hook = await receiver();
    const created = await subscribe(world.partnerA, { url: hook.url, entityTypes: ['PartnerData'] });
    expect(created.secret).toMatch(/^whsec_/);
    const [ping] = hook.received;
    expect(ping.json).toMatchObject({ notice: 'subscription.verification', subscriptionId: created.subscriptionId });
    expect(verifySignature(ping.headers['mydata-signature'] as string, ping.body, [created.secret], now())).toBe('valid');

    const [sent] = await putNotices(events(), [notice(world.partnerA)]);
    const [delivery] = await waitForCount(() => hook.notices(), 1);
    expect(verifySignature(delivery.headers['mydata-signature'] as string, delivery.body, [created.secret], now())).toBe('valid');
    expect(verifySignature(delivery.headers['mydata-signature'] as string, delivery.body, ['whsec_wrong'], now())).toBe('invalid');
    expect(delivery.headers['mydata-delivery-id']).toBe(delivery.json.deliveryId);
    expect(delivery.json).toEqual({
      deliveryId: expect.any(String),
      subscriptionId: created.subscriptionId,
      notice: 'data.created',
      eventId: sent.eventId,
      occurredAt: sent.occurredAt,
      tenant: world.tenant,
      partnerId: world.partnerA,
      guest: 'g-1',
      entityType: 'PartnerData',
      itemId: sent.itemId,
      version: 1,
      causeEventId: sent.causeEventId,
    });
  });

  it("gives another partner's receiver nothing, a paused one nothing, one of other types or notices nothing; guest-wide notices reach every type", async () => {
    const mine = await receiver();
    const other = await receiver();
    const paused = await receiver();
    const orders = await receiver();
    const purgesOnly = await receiver();
    await subscribe(world.partnerA, { url: mine.url, entityTypes: ['PartnerData'] });
    await subscribe(world.partnerB, { url: other.url, entityTypes: ['PartnerData', 'Order'] });
    const toPause = await subscribe(world.partnerA, { url: paused.url, entityTypes: ['PartnerData'] });
    const pause = await call('PATCH', `/profile/v1/subscriptions/${toPause.subscriptionId}`, { token: await partnerToken(world.tenant, world.partnerA), body: { paused: true } });
    expect(pause.status).toBe(200);
    expect(pause.body.paused).toBe(true);
    await subscribe(world.partnerA, { url: orders.url, entityTypes: ['Order'] });
    await subscribe(world.partnerA, { url: purgesOnly.url, entityTypes: ['PartnerData'], notices: ['purge.required'] });

    await putNotices(events(), [notice(world.partnerA), notice(world.partnerA, { notice: 'consent.revoked', entityType: undefined, itemId: undefined, version: undefined })]);
    await waitForCount(() => mine.notices(), 2);
    await waitForCount(() => orders.notices(), 1);
    // The deliveries of one notice are attempted together; a little more time for any stray one.
    await new Promise((r) => setTimeout(r, 500));
    expect(mine.notices().map((r) => r.json.notice).sort()).toEqual(['consent.revoked', 'data.created']);
    expect(orders.notices().map((r) => r.json.notice)).toEqual(['consent.revoked']);
    expect(other.notices()).toEqual([]);
    expect(paused.notices()).toEqual([]);
    expect(purgesOnly.notices()).toEqual([]);
  });

  it('rotates the secret without downtime: deliveries carry both signatures during the overlap', async () => {
    const hook = await receiver();
    const created = await subscribe(world.partnerA, { url: hook.url, entityTypes: ['Order'] });
    const rotated = await call('POST', `/profile/v1/subscriptions/${created.subscriptionId}/secret`, { token: await partnerToken(world.tenant, world.partnerA) });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.body.previousSecretsValidUntil) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);

    await putNotices(events(), [notice(world.partnerA, { entityType: 'Order' })]);
    const [delivery] = await waitForCount(() => hook.notices(), 1);
    const header = delivery.headers['mydata-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(header, delivery.body, [created.secret], now())).toBe('valid');
    expect(verifySignature(header, delivery.body, [rotated.body.secret], now())).toBe('valid');
  });
});

describe('independent deliveries', () => {
  it("a receiver that never answers does not hold up another partner's receiver", async () => {
    const { createServer } = await import('node:http');
    const hanging = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const seenByHanging: number[] = [];
    hanging.on('request', (req) => {
      // The verification ping must pass for the subscription to exist: answer it, hang on everything else.
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (body.includes('subscription.verification')) req.socket.end('HTTP/1.1 204 No Content\r\n\r\n');
        else seenByHanging.push(Date.now());
      });
    });
    try {
      const port = (hanging.address() as { port: number }).port;
      await subscribe(world.partnerA, { url: `http://127.0.0.1:${port}/slow`, entityTypes: ['Order'] });
      const healthy = await receiver();
      await subscribe(world.partnerB, { url: healthy.url, entityTypes: ['Order'] });
      const started = Date.now();
      await putNotices(events(), [notice(world.partnerA, { entityType: 'Order' }), notice(world.partnerB, { entityType: 'Order' })]);
      await waitForCount(() => healthy.notices(), 1);
      // The hanging attempt takes its full 5 s: the other partner's delivery must not wait for it.
      expect(Date.now() - started).toBeLessThan(4_000);
      await waitForCount(() => seenByHanging, 1);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});
