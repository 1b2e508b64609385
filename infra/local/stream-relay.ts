import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { busEntryFromImage, isOutboxImage, type BusEntry } from '../../shared/platform/outbox.js';
import { localCredentials } from './dynamodb.js';

const POLL_INTERVAL_MS = 50;
const PUT_EVENTS_BATCH = 10;
const DISCOVERY_INTERVAL_MS = 1000;
/** Backoff after a failed poll (bus or stream unavailable): 100 ms doubling to 5 s, with jitter. */
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5000;

/**
 * Where the relay remembers, per stream and shard, the sequence number of the last record it has
 * handed to the bus (or skipped as no outbox row). `--data-dir` keeps it in a file, so a restart of
 * the platform resumes; `--in-memory` keeps it in the platform process, so a relay restart resumes.
 */
export interface CheckpointStore {
  load(streamArn: string): Promise<Map<string, string>>;
  save(streamArn: string, shardId: string, sequenceNumber: string): Promise<void>;
}

export function memoryCheckpoints(): CheckpointStore {
  const streams = new Map<string, Map<string, string>>();
  return {
    async load(streamArn) {
      return new Map(streams.get(streamArn) ?? []);
    },
    async save(streamArn, shardId, sequenceNumber) {
      const shards = streams.get(streamArn) ?? new Map<string, string>();
      shards.set(shardId, sequenceNumber);
      streams.set(streamArn, shards);
    },
  };
}

/** A JSON file `{ [streamArn]: { [shardId]: sequenceNumber } }`, replaced atomically on every save. */
export function fileCheckpoints(file: string): CheckpointStore {
  const read = (): Record<string, Record<string, string>> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
    } catch {
      return {};
    }
  };
  return {
    async load(streamArn) {
      return new Map(Object.entries(read()[streamArn] ?? {}));
    },
    async save(streamArn, shardId, sequenceNumber) {
      const all = read();
      all[streamArn] = { ...(all[streamArn] ?? {}), [shardId]: sequenceNumber };
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(all));
      renameSync(`${file}.tmp`, file);
    },
  };
}

export interface StreamRelay {
  stop(): Promise<void>;
}

export interface StreamRelayOptions {
  dynamo: DynamoDBClient;
  dynamoUrl: string;
  eventsUrl: string;
  tableName: string;
  eventBusName: string;
  checkpoints: CheckpointStore;
  /** A streams client to use instead of one for `dynamoUrl` (fault-injection tests wrap the real one). */
  streams?: Pick<DynamoDBStreamsClient, 'send'>;
  onError?: (error: unknown) => void;
}

interface ShardState {
  iterator?: string;
  /** Last record handed over; resuming starts AFTER it. */
  checkpoint?: string;
}

const errorName = (error: unknown) => (error as { name?: string })?.name;

/**
 * The local stand-in for DynamoDB Streams → EventBridge Pipes: reads the table's stream, keeps the
 * outbox rows (the pipe's filter) and puts them on the bus. Delivery is at-least-once and nothing
 * written while the relay (or the bus) was down is skipped:
 * - the position of every shard is checkpointed after its records were put on the bus, and a
 *   (re)started relay resumes AFTER_SEQUENCE_NUMBER of its checkpoint (TRIM_HORIZON for a shard it has
 *   never read, or whose checkpoint has been trimmed away);
 * - a failed put drops the shard's iterator: the next attempt gets a fresh one from the checkpoint, so
 *   an iterator that expired meanwhile (15 min in DynamoDB Streams) never wedges the relay, and an
 *   `ExpiredIteratorException` is handled the same way;
 * - failures back off exponentially (to 5 s) instead of hammering the bus every 50 ms.
 * Rows that never made it anyway (say the process died between commit and relay) are re-published by
 * the outbox sweeper (docs/delivery.md).
 */
export async function startStreamRelay(options: StreamRelayOptions): Promise<StreamRelay> {
  const region = 'eu-central-1';
  const ownStreams = options.streams
    ? undefined
    : new DynamoDBStreamsClient({ endpoint: options.dynamoUrl, region, credentials: localCredentials });
  const streams = options.streams ?? ownStreams!;
  const events = new EventBridgeClient({ endpoint: options.eventsUrl, region, credentials: localCredentials, maxAttempts: 1 });
  const table = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`${options.tableName} has no stream`);

  const saved = await options.checkpoints.load(streamArn);
  const shards = new Map<string, ShardState>();
  const finished = new Set<string>();
  let stopped = false;
  let wake: (() => void) | undefined;

  async function discoverShards(): Promise<void> {
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (!shards.has(id) && !finished.has(id)) shards.set(id, { checkpoint: saved.get(id) });
    }
  }

  /** A fresh iterator from the checkpoint; TRIM_HORIZON without one or when it was trimmed away. */
  async function iteratorFor(shardId: string, state: ShardState): Promise<string | undefined> {
    const base: GetShardIteratorCommandInput = { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' };
    if (state.checkpoint) {
      try {
        const after = await streams.send(
          new GetShardIteratorCommand({ ...base, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.checkpoint }),
        );
        return after.ShardIterator;
      } catch (error) {
        if (errorName(error) !== 'TrimmedDataAccessException') throw error;
      }
    }
    return (await streams.send(new GetShardIteratorCommand(base))).ShardIterator;
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

  async function pollShard(shardId: string, state: ShardState): Promise<void> {
    state.iterator ??= await iteratorFor(shardId, state);
    if (!state.iterator) {
      shards.delete(shardId);
      finished.add(shardId);
      return;
    }
    let page: GetRecordsCommandOutput;
    try {
      page = await streams.send(new GetRecordsCommand({ ShardIterator: state.iterator }));
    } catch (error) {
      // Expired (or otherwise unusable): start again from the checkpoint on the next round.
      state.iterator = undefined;
      if (errorName(error) === 'ExpiredIteratorException') return;
      throw error;
    }
    const records = page.Records ?? [];
    try {
      await publish(records);
    } catch (error) {
      state.iterator = undefined; // re-read from the checkpoint: nothing of this page counts as published
      throw error;
    }
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) {
      state.checkpoint = last;
      await options.checkpoints.save(streamArn!, shardId, last);
    }
    state.iterator = page.NextShardIterator;
    if (!state.iterator) {
      shards.delete(shardId);
      finished.add(shardId);
    }
  }

  async function pollOnce(): Promise<void> {
    for (const [shardId, state] of shards) await pollShard(shardId, state);
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  await discoverShards();
  let lastDiscovery = Date.now();
  let failures = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        if (Date.now() - lastDiscovery >= DISCOVERY_INTERVAL_MS || shards.size === 0) {
          lastDiscovery = Date.now();
          await discoverShards();
        }
        await pollOnce();
        failures = 0;
      } catch (error) {
        failures++;
        if (!stopped) options.onError?.(error);
      }
      if (stopped) break;
      const backoff = failures === 0 ? POLL_INTERVAL_MS : Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
      await sleep(failures === 0 ? backoff : backoff / 2 + Math.random() * (backoff / 2));
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      ownStreams?.destroy();
      events.destroy();
    },
  };
}
