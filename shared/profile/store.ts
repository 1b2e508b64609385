import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../platform/clients.js';
import { config } from '../platform/config.js';
import type { ItemKey } from './keys.js';

/** Table access of the profile context: one BatchGet over both tables, Queries, transactions. */
export type Row = Record<string, unknown>;
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const id = (key: ItemKey) => `${key.PK}\u0000${key.SK}`;

export interface Rows {
  main(key: ItemKey): Row | undefined;
  keys(key: ItemKey): Row | undefined;
}

/**
 * Reads `main` keys from the data table and `keys` keys from the key table in one strongly consistent
 * BatchGetItem (retrying only what DynamoDB left unprocessed). Duplicate keys are read once.
 */
export async function readRows(main: readonly ItemKey[], keys: readonly ItemKey[] = []): Promise<Rows> {
  const tables = { [config().tableName]: main, [config().keyTableName]: keys };
  const found = new Map<string, Map<string, Row>>(Object.keys(tables).map((t) => [t, new Map()]));
  let pending: Record<string, { Keys: Row[]; ConsistentRead: true }> = {};
  for (const [table, list] of Object.entries(tables)) {
    const unique = [...new Map(list.map((k) => [id(k), { PK: k.PK, SK: k.SK }])).values()];
    if (unique.length > 0) pending[table] = { Keys: unique, ConsistentRead: true };
  }
  while (Object.keys(pending).length > 0) {
    const result = await dynamoClient().send(new BatchGetCommand({ RequestItems: pending }));
    for (const [table, items] of Object.entries(result.Responses ?? {})) {
      for (const item of items) found.get(table)!.set(id(item as unknown as ItemKey), item);
    }
    pending = (result.UnprocessedKeys ?? {}) as typeof pending;
  }
  return {
    main: (key) => found.get(config().tableName)!.get(id(key)),
    keys: (key) => found.get(config().keyTableName)!.get(id(key)),
  };
}

/** Every row of a partition (optionally below a sort-key prefix), strongly consistent. */
export async function queryAll(pk: string, skPrefix?: string): Promise<Row[]> {
  const input: QueryCommandInput = {
    TableName: config().tableName,
    KeyConditionExpression: skPrefix ? 'PK = :pk AND begins_with(SK, :sk)' : 'PK = :pk',
    ExpressionAttributeValues: skPrefix ? { ':pk': pk, ':sk': skPrefix } : { ':pk': pk },
    ConsistentRead: true,
  };
  const rows: Row[] = [];
  let start: Row | undefined;
  do {
    const page = await dynamoClient().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    rows.push(...((page.Items ?? []) as Row[]));
    start = page.LastEvaluatedKey as Row | undefined;
  } while (start);
  return rows;
}

export interface Page {
  readonly rows: Row[];
  readonly next?: string;
}

/** One page of a partition below a prefix; `cursor` is the opaque `next` of the previous page. */
export async function queryPage(pk: string, skPrefix: string, limit: number, cursor?: string): Promise<Page> {
  const start = cursor ? { PK: pk, SK: Buffer.from(cursor, 'base64url').toString('utf8') } : undefined;
  if (start && !start.SK.startsWith(skPrefix)) return { rows: [] };
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config().tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
      ConsistentRead: true,
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  const last = page.LastEvaluatedKey as { SK: string } | undefined;
  return { rows: (page.Items ?? []) as Row[], next: last ? Buffer.from(last.SK, 'utf8').toString('base64url') : undefined };
}

/** A condition of the transaction failed (`indexes` name which), or it lost a race to another one. */
export class ConditionFailed extends Error {
  constructor(readonly indexes: readonly number[]) {
    super('Transaction condition failed');
  }
}

export async function transact(items: readonly TransactItem[]): Promise<void> {
  try {
    await dynamoClient().send(new TransactWriteCommand({ TransactItems: [...items] }));
  } catch (error) {
    if (error instanceof TransactionCanceledException || (error as Error).name === 'TransactionCanceledException') {
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
      if (failed.length > 0 || reasons.some((r) => r.Code === 'TransactionConflict')) throw new ConditionFailed(failed);
    }
    throw error;
  }
}

export const mainTable = () => config().tableName;
