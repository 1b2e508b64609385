import { BatchGetCommand, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { client, type ItemKey, keyId, type Row, type TableRole, tableName } from './client.js';
import { READ, type RetryPolicy, retry } from './retry.js';

/** DynamoDB's limit of keys per BatchGetItem. */
export const MAX_BATCH_GET_KEYS = 100;

/** One item by key (strongly consistent unless `consistent: false`). */
export async function getRow(table: TableRole, key: ItemKey, consistent = true): Promise<Row | undefined> {
  const { Item } = await client().send(new GetCommand({ TableName: tableName(table), Key: { PK: key.PK, SK: key.SK }, ConsistentRead: consistent }));
  return Item;
}

export interface BatchRequest {
  readonly table: TableRole;
  readonly keys: readonly ItemKey[];
  /** Strongly consistent (the default). */
  readonly consistent?: boolean;
  /** Attributes to read (default: the whole item). */
  readonly attributes?: readonly string[];
}

/** What a batch read found, by table and key. */
export interface Found {
  get(table: TableRole, key: { PK: unknown; SK: unknown }): Row | undefined;
  rows(table: TableRole): Row[];
}

/** Thrown when DynamoDB kept leaving keys unprocessed through every try of the policy. */
export class UnprocessedKeys extends Error {
  constructor(readonly count: number) {
    super(`BatchGetItem left ${count} keys unprocessed after every retry`);
    this.name = 'UnprocessedKeys';
  }
}

type Pending = Record<string, { Keys: Row[]; ConsistentRead: boolean; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> }>;

/**
 * Reads keys of both tables: BatchGetItem calls of at most 100 keys (duplicates read once), the keys
 * DynamoDB leaves unprocessed (under throttling) retried with jittered backoff (`READ` policy).
 */
export async function batchGet(requests: readonly BatchRequest[], policy: Partial<RetryPolicy> = READ): Promise<Found> {
  const found = new Map<string, Map<string, Row>>();
  const byName = new Map<string, TableRole>();
  const queue: Array<{ name: string; key: Row }> = [];
  const seen = new Set<string>();
  const options = new Map<string, Omit<Pending[string], 'Keys'>>();
  for (const request of requests) {
    const name = tableName(request.table);
    byName.set(name, request.table);
    found.set(request.table, found.get(request.table) ?? new Map());
    const names = request.attributes && Object.fromEntries(request.attributes.map((a, i) => [`#a${i}`, a]));
    options.set(name, {
      ConsistentRead: request.consistent ?? true,
      ...(names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {}),
    });
    for (const key of request.keys) {
      const id = `${name}\u0000${keyId(key)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push({ name, key: { PK: key.PK, SK: key.SK } });
    }
  }
  for (let i = 0; i < queue.length; i += MAX_BATCH_GET_KEYS) {
    let pending: Pending = {};
    for (const { name, key } of queue.slice(i, i + MAX_BATCH_GET_KEYS)) {
      pending[name] ??= { ...options.get(name)!, Keys: [] };
      pending[name].Keys.push(key);
    }
    await retry(
      async () => {
        const out = await client().send(new BatchGetCommand({ RequestItems: pending }));
        for (const [name, rows] of Object.entries(out.Responses ?? {})) {
          const table = found.get(byName.get(name)!)!;
          for (const row of rows) table.set(keyId(row as { PK: unknown; SK: unknown }), row);
        }
        pending = (out.UnprocessedKeys ?? {}) as Pending;
        const left = Object.values(pending).reduce((n, p) => n + (p?.Keys?.length ?? 0), 0);
        if (left > 0) throw new UnprocessedKeys(left);
      },
      { policy, retryable: (error) => error instanceof UnprocessedKeys },
    );
  }
  return {
    get: (table, key) => found.get(table)?.get(keyId(key)),
    rows: (table) => [...(found.get(table)?.values() ?? [])],
  };
}

export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

export interface QueryPage {
  readonly rows: Row[];
  /** The key to continue after, when DynamoDB stopped before the end (limit or 1 MB). */
  readonly lastKey?: Row;
}

/** One Query call (strongly consistent unless the input says otherwise or it reads an index). */
export async function queryPage(table: TableRole, input: QueryInput, start?: Row): Promise<QueryPage> {
  const page = await client().send(
    new QueryCommand({ ConsistentRead: input.IndexName ? undefined : true, ...input, TableName: tableName(table), ExclusiveStartKey: start }),
  );
  return { rows: (page.Items ?? []) as Row[], ...(page.LastEvaluatedKey ? { lastKey: page.LastEvaluatedKey } : {}) };
}

/**
 * Every row a Query finds, following `LastEvaluatedKey`; with `max`, stops once that many are read
 * (each call asks only for what is still missing).
 */
export async function queryAll(table: TableRole, input: QueryInput, max?: number): Promise<Row[]> {
  const rows: Row[] = [];
  let start: Row | undefined;
  do {
    const page = await queryPage(table, max === undefined ? input : { ...input, Limit: max - rows.length }, start);
    rows.push(...page.rows);
    start = page.lastKey;
  } while (start && (max === undefined || rows.length < max));
  return rows;
}

/** Key condition of a partition (optionally below a sort-key prefix) of the table or an index. */
export function partition(pk: string, skPrefix?: string, index?: { partitionKey: string; sortKey: string; name: string }): QueryInput {
  const names = { '#pk': index?.partitionKey ?? 'PK', ...(skPrefix !== undefined ? { '#sk': index?.sortKey ?? 'SK' } : {}) };
  return {
    ...(index ? { IndexName: index.name } : {}),
    KeyConditionExpression: skPrefix !== undefined ? '#pk = :pk AND begins_with(#sk, :sk)' : '#pk = :pk',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: skPrefix !== undefined ? { ':pk': pk, ':sk': skPrefix } : { ':pk': pk },
  };
}
