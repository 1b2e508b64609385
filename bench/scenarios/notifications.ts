/**
 * `npm run bench -- --only notifications`: what one `PartnerNotice` costs the dispatcher (decision 0401)
 * against the number of the recipient's subscriptions — 1, 10 (the per-partner limit) and 100 (a raised
 * limit: four fan-out pages, three continuations). On a DynamoDB Local of its own, with a real receiver
 * on loopback answering 204: the real `fanOut` (record, sign, POST, delete) page after page, the way the
 * continuation consumer would run it. Reports per notice: DynamoDB and KMS calls (counted by the platform's
 * client), invocations, and time (median of the rounds). No `scenarios` export: the latency run skips it.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NotificationFanOutFigures {
  readonly subscriptions: number;
  readonly invocations: number;
  readonly dynamoCalls: number;
  readonly kmsCalls: number;
  readonly callsPerSubscription: number;
  readonly delivered: number;
  readonly medianMs: number;
  readonly calls: Record<string, number>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function measureNotificationFanOut(options: { sizes?: readonly number[]; rounds?: number; log: (line: string) => void }): Promise<NotificationFanOutFigures[]> {
  const sizes = options.sizes ?? [1, 10, 100];
  const rounds = options.rounds ?? 5;
  const { startDynamoDbLocal, ensureTable } = await import('../../infra/local/dynamodb.js');
  const { LOCAL_NAMES } = await import('../../infra/local/names.js');
  const { mainTable, keyTable } = await import('../../shared/platform/table-design.js');
  const dynamo = await startDynamoDbLocal({});
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    await ensureTable(dynamo.client, mainTable, LOCAL_NAMES.tableName);
    await ensureTable(dynamo.client, keyTable, LOCAL_NAMES.keyTableName);
    Object.assign(process.env, {
      AWS_REGION: LOCAL_NAMES.region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
      TABLE_NAME: LOCAL_NAMES.tableName, KEY_TABLE_NAME: LOCAL_NAMES.keyTableName, EVENT_BUS_NAME: LOCAL_NAMES.eventBusName, KMS_KEY_ID: 'alias/mydata',
      NOTIFICATION_ALLOW_LOOPBACK: 'true', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_TRACE_ENABLED: 'false', POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    const { fanOut } = await import('../../shared/notifications/deliveries.js');
    const { takeSdkCalls } = await import('../../shared/platform/sdk-calls.js');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const figures: NotificationFanOutFigures[] = [];
    for (const size of sizes) {
      const tenant = `bench-notify-${size}`;
      const partnerId = `P${size}`;
      await seedSubscriptions(tenant, partnerId, size, url);
      const samples: Array<{ ms: number; calls: Record<string, number>; invocations: number; delivered: number }> = [];
      for (let round = 0; round < rounds; round++) {
        const notice = { tenant, partnerId, eventId: randomUUID(), occurredAt: new Date().toISOString(), notice: 'data.changed' as const, guest: 'g-bench', entityType: 'PartnerData', itemId: randomUUID(), version: round + 1, causeEventId: randomUUID() };
        received = 0;
        takeSdkCalls();
        const started = performance.now();
        let invocations = 0;
        let cursor: string | undefined;
        do {
          const outcome = await fanOut(notice, cursor);
          invocations++;
          cursor = outcome.next;
        } while (cursor);
        samples.push({ ms: performance.now() - started, calls: takeSdkCalls(), invocations, delivered: received });
      }
      const last = samples[samples.length - 1];
      const count = (prefix: string) => Object.entries(last.calls).filter(([name]) => name.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
      const dynamoCalls = count('DynamoDB.');
      figures.push({
        subscriptions: size,
        invocations: last.invocations,
        dynamoCalls,
        kmsCalls: count('KMS.'),
        callsPerSubscription: Math.round((dynamoCalls / size) * 100) / 100,
        delivered: last.delivered,
        medianMs: Math.round(median(samples.map((s) => s.ms)) * 10) / 10,
        calls: last.calls,
      });
      options.log(`notifications: ${size} subscriptions → ${dynamoCalls} DynamoDB calls, ${last.invocations} invocations, ${figures.at(-1)!.medianMs} ms`);
    }
    return figures;
  } finally {
    receiver.close();
    await dynamo.stop();
  }
}

/** N subscriptions of one partner (rows and secrets as the create writes them, without its limit: a raised limit's world). */
async function seedSubscriptions(tenant: string, partnerId: string, count: number, url: string): Promise<void> {
  const { putRow, tableName } = await import('../../shared/platform/table/index.js');
  const { ENTITY, secretKey, subscriptionKey } = await import('../../shared/notifications/keys.js');
  const at = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const subscriptionId = randomUUID();
    await putRow({
      TableName: tableName('main'),
      Item: { ...subscriptionKey(tenant, partnerId, subscriptionId), entityType: ENTITY.subscription, tenant, partnerId, subscriptionId, url, entityTypes: ['PartnerData'], paused: false, version: 1, createdAt: at, updatedAt: at },
    });
    await putRow({
      TableName: tableName('keys'),
      Item: { ...secretKey(tenant, partnerId, subscriptionId, `${at}#0`), entityType: ENTITY.secret, subscriptionId, secretId: `${at}#0`, secret: `whsec_bench${i}`, createdAt: at },
    });
  }
}

export function notificationTable(figures: readonly NotificationFanOutFigures[]): string {
  const rows = figures.map((f) =>
    `| ${f.subscriptions} | ${f.invocations} | ${f.dynamoCalls} | ${f.callsPerSubscription} | ${f.kmsCalls} | ${f.delivered} | ${f.medianMs} |`,
  );
  return ['| subscriptions | invocations | DynamoDB calls | per subscription | KMS calls | delivered | median ms |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
