import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SWEEP_IN_FLIGHT_PER_SUBSCRIPTION, sweepDeliveries } from '../../../shared/notifications/deliveries.js';
import { continuationId } from '../../../shared/platform/continuation.js';
import { DELIVERY_DUE_SHARDS, deliveryDuePartition, deliveryDueShard, deliveryDueSortKey, deliveryKey, ENTITY } from '../../../shared/notifications/keys.js';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { useLocalPlatformFromTests } from '../consent/support.js';
import { profileWorld, type World } from '../profile/support.js';
import { type FaultPlatform, startFaultPlatform } from './fault-platform.js';
import { partnerToken, type Receiver, startReceiver } from './support.js';

/**
 * Fault F4 (decision 0423): one partner's hanging endpoint cannot hold another partner's retries. Partner A's
 * receiver accepts connections and never answers (each attempt runs into its 5 s deadline); A has many more due
 * deliveries than a sweep page in every shard, all due before partner B's one retry. One run of the retry sweep
 * (in-process, against a platform of this file's own whose own sweep timer is the catalog's minute) must attempt
 * B's retry: A holds at most its per-subscription share of attempts, and nobody waits on A's stragglers.
 */
let platform: FaultPlatform;
let world: World;
let hanging: Server;
let healthy: Receiver;
const subscriptions: Record<string, string> = {};
const HANGING_ROWS = 40 * DELIVERY_DUE_SHARDS;

async function startHangingReceiver(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // The registration's verification ping passes; every delivery hangs.
      if (Buffer.concat(chunks).toString('utf8').includes('subscription.verification')) res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function subscribe(partner: string, url: string): Promise<string> {
  const created = await call('POST', '/profile/v1/subscriptions', { token: await partnerToken(world.tenant, partner), body: { url, entityTypes: ['PartnerData'] } });
  expect(created.status).toBe(201);
  return created.body.subscriptionId as string;
}

beforeAll(async () => {
  platform = await startFaultPlatform();
  process.env.NOTIFICATION_ALLOW_LOOPBACK = 'true';
  useLocalPlatformFromTests();
  world = await profileWorld();
  hanging = await startHangingReceiver();
  healthy = await startReceiver();
  subscriptions.A = await subscribe(world.partnerA, `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hooks/mydata`);
  subscriptions.B = await subscribe(world.partnerB, healthy.url);
}, 180_000);
afterAll(async () => {
  hanging?.closeAllConnections();
  hanging?.close();
  await healthy?.close();
  await platform?.stop();
});

/** A recorded delivery due at `due`, as the dispatcher records it (one attempt already failed). */
async function dueDelivery(partnerId: string, subscriptionId: string, due: Date): Promise<string> {
  const deliveryId = continuationId('NotificationDelivery', randomUUID(), subscriptionId);
  const body = JSON.stringify({ deliveryId, subscriptionId, notice: 'data.changed', eventId: randomUUID(), occurredAt: due.toISOString(), tenant: world.tenant, partnerId, guest: 'g-slow', entityType: 'PartnerData' });
  await testDynamo().send(new PutCommand({
    TableName: tableNames.data,
    Item: {
      ...deliveryKey(world.tenant, partnerId, subscriptionId, deliveryId), entityType: ENTITY.delivery,
      tenant: world.tenant, partnerId, subscriptionId, deliveryId, body, notice: 'data.changed', status: 'pending', attempts: 1,
      nextAttemptAt: due.toISOString(), createdAt: due.toISOString(), lastOutcome: 'status (HTTP 503)',
      GSI1PK: deliveryDuePartition(deliveryDueShard(deliveryId)), GSI1SK: deliveryDueSortKey(due, deliveryId),
    },
  }));
  return deliveryId;
}

it("one run of the retry sweep attempts partner B's due retry although partner A's hanging endpoint has many more due before it", async () => {
  const earlier = Date.now() - 60_000;
  for (let i = 0; i < HANGING_ROWS; i += 20) {
    await Promise.all(Array.from({ length: 20 }, (_, k) => dueDelivery(world.partnerA, subscriptions.A!, new Date(earlier + i + k))));
  }
  const retryOfB = await dueDelivery(world.partnerB, subscriptions.B!, new Date(Date.now() - 1_000));

  const outcome = await sweepDeliveries();
  expect(healthy.notices().map((r) => r.headers['mydata-delivery-id'])).toEqual([retryOfB]);
  // A's endpoint held no more than its share of the run: the rest of its rows wait for the next run.
  expect(outcome.failed).toBeLessThanOrEqual(SWEEP_IN_FLIGHT_PER_SUBSCRIPTION);
  expect(outcome.delivered).toBe(1);
}, 60_000);
