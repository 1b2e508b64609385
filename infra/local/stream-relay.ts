import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { busEntryFromImage, isOutboxImage, type BusEntry } from '../../shared/platform/outbox.js';
import { localCredentials } from './dynamodb.js';

const POLL_INTERVAL_MS = 50;
const PUT_EVENTS_BATCH = 10;

export interface StreamRelay {
  stop(): Promise<void>;
}

/**
 * The local stand-in for DynamoDB Streams → EventBridge Pipes: reads the table's stream, keeps the
 * outbox rows (the pipe's filter) and puts them on the bus. A failed put is retried from the same
 * position, so delivery is at-least-once like the pipe's.
 */
export async function startStreamRelay(options: {
  dynamo: DynamoDBClient;
  dynamoUrl: string;
  eventsUrl: string;
  tableName: string;
  eventBusName: string;
  onError?: (error: unknown) => void;
}): Promise<StreamRelay> {
  const region = 'eu-central-1';
  const streams = new DynamoDBStreamsClient({ endpoint: options.dynamoUrl, region, credentials: localCredentials });
  const events = new EventBridgeClient({ endpoint: options.eventsUrl, region, credentials: localCredentials });
  const table = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`${options.tableName} has no stream`);

  const iterators = new Map<string, string | undefined>();
  const finished = new Set<string>();
  let stopped = false;

  async function discoverShards(startAt: 'TRIM_HORIZON' | 'LATEST'): Promise<void> {
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (iterators.has(id) || finished.has(id)) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: startAt }),
      );
      iterators.set(id, ShardIterator);
    }
  }

  async function publish(records: _Record[]): Promise<void> {
    const entries: BusEntry[] = records
      .filter((record) => record.eventName === 'INSERT' && isOutboxImage(record.dynamodb?.NewImage as never))
      .map((record) => busEntryFromImage(record.dynamodb!.NewImage as never, options.eventBusName));
    for (let i = 0; i < entries.length; i += PUT_EVENTS_BATCH) {
      const result = await events.send(new PutEventsCommand({ Entries: entries.slice(i, i + PUT_EVENTS_BATCH) }));
      if (result.FailedEntryCount) throw new Error(`bus refused ${result.FailedEntryCount} outbox events`);
    }
  }

  async function pollOnce(): Promise<void> {
    for (const [shardId, iterator] of iterators) {
      if (!iterator) {
        iterators.delete(shardId);
        finished.add(shardId);
        continue;
      }
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      await publish(page.Records ?? []);
      iterators.set(shardId, page.NextShardIterator);
    }
  }

  // Only records written after start are relayed: events of an earlier run were relayed then.
  await discoverShards('LATEST');
  let sinceDiscovery = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        await pollOnce();
        if (++sinceDiscovery * POLL_INTERVAL_MS >= 1000 || iterators.size === 0) {
          sinceDiscovery = 0;
          await discoverShards('TRIM_HORIZON');
        }
      } catch (error) {
        options.onError?.(error);
      }
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
      streams.destroy();
      events.destroy();
    },
  };
}
