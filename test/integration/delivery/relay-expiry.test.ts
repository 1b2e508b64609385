import { randomBytes, randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ensureTable, localCredentials } from '../../../infra/local/dynamodb.js';
import { type EventEnvelope, type LocalEventBridge, startLocalEventBridge } from '../../../infra/local/eventbridge/server.js';
import { memoryCheckpoints, startStreamRelay, type StreamRelay } from '../../../infra/local/stream-relay.js';
import { mainTable } from '../../../shared/platform/table-design.js';

/**
 * The relay against the real DynamoDB Local stream and a real local EventBridge endpoint. DynamoDB
 * Local does not expire shard iterators (DynamoDB Streams does after 15 minutes), so that one fault is
 * injected by a wrapper around the real streams client: `expireAll()` makes every iterator issued so
 * far answer ExpiredIteratorException, as a quarter of an hour with the bus down would.
 */
class ExpiringStreams {
  private readonly issued = new Set<string>();
  private readonly expired = new Set<string>();
  calls = 0;
  constructor(private readonly real: DynamoDBStreamsClient) {}

  expireAll(): void {
    for (const iterator of this.issued) this.expired.add(iterator);
  }

  // biome-ignore lint/suspicious/noExplicitAny: forwards any command of the real client
  async send(command: any): Promise<any> {
    this.calls++;
    if (command instanceof GetRecordsCommand && this.expired.has(command.input.ShardIterator!)) {
      throw Object.assign(new Error('Iterator expired. The iterator was created at time ... while right now it is ...'), {
        name: 'ExpiredIteratorException',
      });
    }
    const output = (await this.real.send(command)) as { ShardIterator?: string; NextShardIterator?: string };
    if (command instanceof GetShardIteratorCommand && output.ShardIterator) this.issued.add(output.ShardIterator);
    if (command instanceof GetRecordsCommand && output.NextShardIterator) this.issued.add(output.NextShardIterator);
    return output;
  }
}

const region = 'eu-central-1';
const tableName = `relay-${randomBytes(4).toString('hex')}`;
const dynamoUrl = () => process.env.MYDATA_DYNAMODB_URL!;
let dynamo: DynamoDBClient;
let realStreams: DynamoDBStreamsClient;
let bus: LocalEventBridge;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  dynamo = new DynamoDBClient({ endpoint: dynamoUrl(), region, credentials: localCredentials });
  realStreams = new DynamoDBStreamsClient({ endpoint: dynamoUrl(), region, credentials: localCredentials });
  await ensureTable(dynamo, mainTable, tableName);
  bus = await startLocalEventBridge({
    busName: 'mydata',
    rules: [{ id: 'All', pattern: { source: [{ prefix: 'mydata.' }] }, target: async (event) => void received.push(event) }],
  });
});

afterAll(async () => {
  await bus?.stop();
  await dynamo.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  dynamo.destroy();
  realStreams.destroy();
});

/** Commits one outbox row (what a domain transaction adds) and returns its event id. */
async function commitOutboxRow(): Promise<string> {
  const eventId = randomUUID();
  await dynamo.send(
    new PutItemCommand({
      TableName: tableName,
      Item: marshall({
        PK: `OUTBOX#${eventId}`,
        SK: 'OUTBOX',
        entityType: 'OutboxEvent',
        source: 'mydata.test',
        detailType: 'Probe',
        detail: JSON.stringify({ tenant: 't', eventId, occurredAt: new Date().toISOString() }),
      }),
    }),
  );
  return eventId;
}

const delivered = (ids: readonly string[]) => ids.filter((id) => received.some((event) => event.detail.eventId === id));

async function waitForDelivery(ids: readonly string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (delivered(ids).length < ids.length) {
    if (Date.now() > deadline) throw new Error(`delivered ${delivered(ids).length} of ${ids.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function relayWith(streams: ExpiringStreams, checkpoints = memoryCheckpoints()): Promise<StreamRelay> {
  return startStreamRelay({
    dynamo,
    dynamoUrl: dynamoUrl(),
    eventsUrl: bus.url,
    tableName,
    eventBusName: 'mydata',
    checkpoints,
    streams,
  });
}

describe('the stream relay under faults', () => {
  it('recovers from expired iterators, also after the bus was down longer than their lifetime: 0 events lost, no hot loop', async () => {
    const streams = new ExpiringStreams(realStreams);
    const relay = await relayWith(streams);
    try {
      const first = await commitOutboxRow();
      await waitForDelivery([first]);

      // Idle for "15 minutes": the iterator the relay holds expires.
      streams.expireAll();
      const afterIdle = await commitOutboxRow();
      await waitForDelivery([afterIdle]);

      // The bus goes down; events keep being committed; the outage outlives every iterator.
      await bus.suspend();
      const duringOutage = [await commitOutboxRow(), await commitOutboxRow()];
      const callsBefore = streams.calls;
      await new Promise((r) => setTimeout(r, 3000));
      // Backoff (100 ms doubling to 5 s): a handful of attempts in 3 s, not one every 50 ms (~60 x 2 calls).
      expect(streams.calls - callsBefore).toBeLessThan(20);
      streams.expireAll();
      await bus.resume();
      const afterRecovery = await commitOutboxRow();

      const all = [first, afterIdle, ...duringOutage, afterRecovery];
      await waitForDelivery(all, 20_000);
      expect(delivered(all)).toEqual(all);
    } finally {
      await relay.stop();
    }
  }, 60_000);

  it('a restarted relay resumes at its checkpoint: rows committed while it was down are published, none twice', async () => {
    const checkpoints = memoryCheckpoints();
    const streams = new ExpiringStreams(realStreams);
    let relay = await relayWith(streams, checkpoints);
    const before = await commitOutboxRow();
    await waitForDelivery([before]);
    await relay.stop();

    const whileDown = [await commitOutboxRow(), await commitOutboxRow(), await commitOutboxRow()];
    relay = await relayWith(streams, checkpoints);
    try {
      await waitForDelivery(whileDown);
      await new Promise((r) => setTimeout(r, 300));
      const all = [before, ...whileDown];
      expect(all.map((id) => received.filter((event) => event.detail.eventId === id).length)).toEqual([1, 1, 1, 1]);
    } finally {
      await relay.stop();
    }
  }, 60_000);
});
