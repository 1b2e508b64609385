/**
 * The bare-SDK baseline (decision 0130): the SDK calls a request makes are recorded as they are sent
 * (command, input, start and end), then replayed bare — fresh SDK clients, no middleware of ours, no
 * HTTP, no handler — against the same DynamoDB Local and KMS, in the same order and with the same
 * parallelism. Writes are replayed into shadow tables (the items the requests touch, mirrored from the
 * real tables the first time, see `Shadow`) that every recorded write also reaches, so the shadow's items
 * evolve as the real ones do and the replayed conditions hold as they held for the request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import * as lib from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ensureTable, localCredentials } from '../infra/local/dynamodb.js';
import { LOCAL_NAMES } from '../infra/local/names.js';
import { dynamoClient, eventBridgeClient, kmsClient } from '../shared/platform/clients.js';
import { keyTable, mainTable } from '../shared/platform/table-design.js';

/** The header the bench sets on a measured request; SDK calls made while serving it are recorded under its value. */
export const REQUEST_ID_HEADER = 'x-bench-request';

type Service = 'DynamoDB' | 'KMS' | 'EventBridge';

export interface RecordedCall {
  readonly service: Service;
  readonly operation: string;
  // biome-ignore lint/suspicious/noExplicitAny: any SDK command class
  readonly command: new (input: any) => unknown;
  readonly input: unknown;
  /** performance.now() at send and when the call's promise settled. */
  readonly start: number;
  end: number;
  ok: boolean;
}

/**
 * Shadow tables: same keys and indexes, same name length (so request bytes match), no stream (an unread
 * stream made DynamoDB Local serve the shadow table 10× slower than the real one in a full run).
 */
export const SHADOW_NAMES: Readonly<Record<string, string>> = {
  [LOCAL_NAMES.tableName]: 'mydata-bare',
  [LOCAL_NAMES.keyTableName]: 'mydata-bkey',
};

const requestOf = new AsyncLocalStorage<string>();
const recordings = new Map<string, RecordedCall[]>();
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
/** Whether a recorded call writes to DynamoDB. */
export const writes = (call: Pick<RecordedCall, 'service' | 'operation'>) => call.service === 'DynamoDB' && WRITES.has(call.operation);
/** DynamoDB writes made outside measured requests (event consumers, the outbox sweeper), while a `Shadow` listens. */
let background: Array<{ command: RecordedCall['command']; input: unknown }> | undefined;
let installed = false;

/**
 * Starts recording: every HTTP request reaching an in-process server carries its `x-bench-request` id
 * into its async context (diagnostics channel, before the gateway's handler runs), and the platform's
 * three shared clients record each call made in such a context. Calls outside a measured request (event
 * consumers, the stream relay, set-up) are not recorded.
 */
export function installRecorder(): void {
  if (installed) return;
  installed = true;
  subscribe('http.server.request.start', (message) => {
    const id = (message as { request: IncomingMessage }).request.headers[REQUEST_ID_HEADER];
    if (typeof id === 'string') requestOf.enterWith(id);
  });
  wrap(dynamoClient(), 'DynamoDB');
  wrap(kmsClient(), 'KMS');
  wrap(eventBridgeClient(), 'EventBridge');
}

function wrap(client: object, service: Service): void {
  const target = client as { send: (command: { input: unknown }, ...rest: unknown[]) => Promise<unknown> };
  const send = target.send.bind(client);
  target.send = (command, ...rest) => {
    const id = requestOf.getStore();
    const calls = id === undefined ? undefined : recordings.get(id);
    const ctor = command.constructor as RecordedCall['command'];
    if (!calls) {
      if (background && service === 'DynamoDB' && WRITES.has(operationOf(ctor.name))) background.push({ command: ctor, input: cloneInput(command.input) });
      return send(command, ...rest);
    }
    const call: RecordedCall = {
      service,
      operation: operationOf(ctor.name),
      command: ctor,
      input: cloneInput(command.input),
      start: performance.now(),
      end: Number.NaN,
      ok: false,
    };
    calls.push(call);
    return send(command, ...rest).then(
      (output) => {
        call.end = performance.now();
        call.ok = true;
        return output;
      },
      (error: unknown) => {
        call.end = performance.now();
        throw error;
      },
    );
  };
}

const DOCUMENT_OPERATIONS: Readonly<Record<string, string>> = {
  Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem', TransactGet: 'TransactGetItems', TransactWrite: 'TransactWriteItems',
};

/** The API operation of a command class (`GetCommand` of lib-dynamodb and `GetItemCommand` are both `GetItem`). */
function operationOf(commandName: string): string {
  const name = commandName.replace(/Command$/, '');
  return DOCUMENT_OPERATIONS[name] ?? name;
}

function cloneInput(input: unknown): unknown {
  try {
    return structuredClone(input);
  } catch {
    return input;
  }
}

/** Opens a recording for one request id; `take` returns its calls (in send order) and closes it. */
export function startRecording(id: string): { take(): RecordedCall[] } {
  const calls: RecordedCall[] = [];
  recordings.set(id, calls);
  return {
    take() {
      recordings.delete(id);
      return calls;
    },
  };
}

/** For each call, the calls that had settled before it was sent (what it may have waited for). */
function predecessors(calls: readonly RecordedCall[]): number[][] {
  return calls.map((call, j) => calls.flatMap((other, k) => (k !== j && other.end <= call.start ? [k] : [])));
}

/**
 * Sequential round trips: the longest chain of calls each sent after the previous one settled. Calls
 * overlapping in time are parallel and count once.
 */
export function roundTrips(calls: readonly RecordedCall[]): number {
  const before = predecessors(calls);
  const depth: number[] = [];
  // Calls are in send order, so every predecessor comes earlier in the list.
  for (let j = 0; j < calls.length; j++) depth[j] = 1 + Math.max(0, ...before[j].map((k) => depth[k]));
  return Math.max(0, ...depth);
}

/** The request's calls as a chain, parallel ones joined with `+`: `Query → BatchGetItem+Decrypt → TransactWriteItems`. */
export function timeline(calls: readonly RecordedCall[]): string {
  const before = predecessors(calls);
  const depth: number[] = [];
  for (let j = 0; j < calls.length; j++) depth[j] = 1 + Math.max(0, ...before[j].map((k) => depth[k]));
  const levels: string[][] = [];
  calls.forEach((call, j) => {
    levels[depth[j] - 1] ??= [];
    levels[depth[j] - 1].push(call.service === 'DynamoDB' ? call.operation : `${call.service}.${call.operation}`);
  });
  return levels.map((level) => level.join('+')).join(' → ') || 'none';
}

export interface BareClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly kms: KMSClient;
  readonly events: EventBridgeClient;
}

/**
 * Fresh clients with the platform's options (shared/platform/clients.ts: 3 attempts, the same HTTP
 * handler timeouts, the document client's marshalling) and none of its middleware, on the same endpoints.
 */
export function bareClients(endpoints: { dynamo: string; kms: string; events: string }): BareClients {
  const options = (endpoint: string) => ({
    endpoint,
    region: LOCAL_NAMES.region,
    credentials: localCredentials,
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 2000 }),
  });
  return {
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(options(endpoints.dynamo)), { marshallOptions: { removeUndefinedValues: true } }),
    kms: new KMSClient(options(endpoints.kms)),
    events: new EventBridgeClient(options(endpoints.events)),
  };
}

/** The recorded input with its table names swapped for the shadow tables (top level, batch maps, transaction items). */
function toShadow(input: unknown): unknown {
  if (input === null || typeof input !== 'object') return input;
  const rename = (name: unknown) => (typeof name === 'string' ? (SHADOW_NAMES[name] ?? name) : name);
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  if ('TableName' in out) out.TableName = rename(out.TableName);
  if (out.RequestItems && typeof out.RequestItems === 'object') {
    out.RequestItems = Object.fromEntries(Object.entries(out.RequestItems).map(([table, value]) => [rename(table), value]));
  }
  if (Array.isArray(out.TransactItems)) {
    out.TransactItems = out.TransactItems.map((item: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(item).map(([kind, op]) => [kind, op && typeof op === 'object' ? { ...op, TableName: rename(op.TableName) } : op])),
    );
  }
  return out;
}

export interface Replay {
  readonly ms: number;
  /** Replayed calls that failed where the recorded one succeeded (the shadow diverged), or the reverse. */
  readonly mismatches: number;
}

/**
 * Sends the recorded calls bare: each call starts once every call that had settled before its recorded
 * start has settled here too, so sequential calls stay sequential and overlapping ones run in parallel.
 * Timed from the first send to the last settlement. Commands are built before the clock starts.
 */
export async function replay(calls: readonly RecordedCall[], clients: BareClients): Promise<Replay> {
  if (calls.length === 0) return { ms: 0, mismatches: 0 };
  const before = predecessors(calls);
  // Reads only: the real tables (exactly the same items). With a write: the shadow tables.
  const shadow = calls.some(writes);
  const commands = calls.map((call) => {
    const input = call.service === 'DynamoDB' && shadow ? toShadow(cloneInput(call.input)) : cloneInput(call.input);
    return new call.command(input);
  });
  const clientOf = (service: Service) => (service === 'DynamoDB' ? clients.dynamo : service === 'KMS' ? clients.kms : clients.events);
  let mismatches = 0;
  const done: Array<Promise<void>> = [];
  const started = performance.now();
  for (let j = 0; j < calls.length; j++) {
    const waitFor = before[j].map((k) => done[k]);
    done[j] = (waitFor.length ? Promise.all(waitFor) : Promise.resolve()).then(() =>
      (clientOf(calls[j].service) as { send: (command: unknown) => Promise<unknown> }).send(commands[j]).then(
        () => void (calls[j].ok ? undefined : mismatches++),
        (error: unknown) => {
          if (!calls[j].ok) return;
          mismatches++;
          if (process.env.BENCH_DEBUG) console.error(`replay of ${calls[j].operation} failed: ${(error as Error).name}: ${(error as Error).message}`, JSON.stringify(calls[j].input).slice(0, 3000));
        },
      ),
    );
  }
  await Promise.all(done);
  return { ms: performance.now() - started, mismatches };
}

const DOCUMENT_COMMANDS = new Set<unknown>(Object.values(lib));
const TABLES = { [LOCAL_NAMES.tableName]: mainTable, [LOCAL_NAMES.keyTableName]: keyTable } as const;

type Doc = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped
type AnyInput = any;

/**
 * The shadow tables, filled lazily: after a request's replay, every item and every Query partition it
 * touched for the first time is mirrored from the real tables (put, or deleted when the real one has no
 * such item). At that moment the real tables are in the state after the request and the shadow ones after
 * its replay, so from then on both evolve alike. The first replay touching an item finds it missing (a
 * warm-up request, not measured). Copying whole tables up front took minutes for the 10,000-partner tree
 * on this machine.
 */
export class Shadow {
  private readonly items = new Set<string>();
  private readonly partitions = new Set<string>();
  private readonly real: DynamoDBDocumentClient;
  private again = false;

  constructor(private readonly raw: DynamoDBClient) {
    this.real = DynamoDBDocumentClient.from(raw);
  }

  /** Creates the shadow tables (before the set-up: DynamoDB Local served a table created after the 10,000-partner seed 3× slower). */
  async create(): Promise<void> {
    for (const [source, design] of Object.entries(TABLES)) await ensureTable(this.raw, { ...design, stream: false }, SHADOW_NAMES[source]);
  }

  /** From now on, consumers' writes to the real tables are collected for `catchUp`. */
  listen(): void {
    background = [];
  }

  /** p50 of 50 GetItems of one key on the real and on the shadow main table, through the bare client: the shadow's own bias. */
  async probe(clients: BareClients): Promise<{ realMs: number; shadowMs: number }> {
    const Key = { PK: 'BENCH#probe', SK: 'BENCH' };
    const p50 = async (TableName: string) => {
      const times: number[] = [];
      for (let i = 0; i < 50; i++) {
        const started = performance.now();
        await clients.dynamo.send(new GetCommand({ TableName, Key }));
        times.push(performance.now() - started);
      }
      return Math.round(times.sort((a, b) => a - b)[24] * 100) / 100;
    };
    const realMs = await p50(LOCAL_NAMES.tableName);
    return { realMs, shadowMs: await p50(SHADOW_NAMES[LOCAL_NAMES.tableName]) };
  }

  /**
   * The writes event consumers made to the real tables since the last call, applied to the shadow ones
   * (untimed, outcome ignored): a consumer that updates an item a request reads keeps the two in step.
   */
  async catchUp(): Promise<void> {
    const pending = background?.splice(0) ?? [];
    for (const write of pending) await this.real.send(new write.command(toShadow(write.input)) as never).catch(() => undefined);
  }

  /**
   * Mirrors what these calls touched first (untimed; after their replay); `again` mirrors everything they
   * touched, after a replay that did not go as recorded, so one divergence does not persist.
   */
  async mirror(calls: readonly RecordedCall[], again = false): Promise<void> {
    await this.catchUp();
    this.again = again;
    for (const call of calls) {
      if (call.service !== 'DynamoDB') continue;
      const asDoc = DOCUMENT_COMMANDS.has(call.command) ? (value: unknown) => value as Doc : (value: unknown) => unmarshall(value as never) as Doc;
      const input = call.input as AnyInput;
      const keys: Array<[string, Doc]> = [];
      const key = (table: string, item: unknown) => item && keys.push([table, asDoc(item)]);
      if (call.operation === 'Query') {
        await this.mirrorPartition(input.TableName, input.IndexName, input.KeyConditionExpression, input.ExpressionAttributeNames, asDoc(input.ExpressionAttributeValues ?? {}));
        continue;
      }
      key(input.TableName, input.Key ?? input.Item);
      for (const [table, request] of Object.entries((input.RequestItems ?? {}) as Record<string, AnyInput>)) {
        if (Array.isArray(request)) for (const write of request) key(table, write.PutRequest?.Item ?? write.DeleteRequest?.Key);
        else for (const k of request.Keys ?? []) key(table, k);
      }
      for (const item of (input.TransactItems ?? []) as AnyInput[]) {
        for (const op of Object.values(item) as AnyInput[]) if (op) key(op.TableName, op.Key ?? op.Item);
      }
      for (const [table, item] of keys) await this.mirrorItem(table, item);
    }
  }

  private async mirrorItem(table: string, item: Doc): Promise<void> {
    if (!(table in TABLES)) return;
    const Key = { PK: item.PK, SK: item.SK };
    const id = JSON.stringify([table, Key.PK, Key.SK]);
    if (this.items.has(id) && !this.again) return;
    this.items.add(id);
    const found = await this.real.send(new GetCommand({ TableName: table, Key, ConsistentRead: true }));
    if (found.Item) await this.real.send(new PutCommand({ TableName: SHADOW_NAMES[table], Item: found.Item }));
    else await this.real.send(new DeleteCommand({ TableName: SHADOW_NAMES[table], Key }));
  }

  /** Every item of the queried partition (the index's partition key as the Query names it). */
  private async mirrorPartition(table: string, index: string | undefined, condition: string, names: Record<string, string> = {}, values: Doc): Promise<void> {
    if (!(table in TABLES)) return;
    const design = TABLES[table as keyof typeof TABLES];
    const partitionKey = index ? design.indexes.find((candidate) => candidate.name === index)?.partitionKey : design.partitionKey;
    const value = condition
      .split(/\s+and\s+/i)
      .map((part) => /^\(?\s*([#\w.]+)\s*=\s*(:\w+)\s*\)?$/.exec(part.trim()))
      .find((match) => match && (names[match[1]] ?? match[1]) === partitionKey)?.[2];
    if (!partitionKey || !value) return;
    const id = JSON.stringify([table, index, values[value]]);
    if (this.partitions.has(id) && !this.again) return;
    this.partitions.add(id);
    let ExclusiveStartKey: Doc | undefined;
    do {
      const page = await this.real.send(
        new QueryCommand({ TableName: table, IndexName: index, KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': partitionKey }, ExpressionAttributeValues: { ':p': values[value] }, ExclusiveStartKey }),
      );
      for (const Item of page.Items ?? []) {
        this.items.add(JSON.stringify([table, Item.PK, Item.SK]));
        await this.real.send(new PutCommand({ TableName: SHADOW_NAMES[table], Item }));
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
}
