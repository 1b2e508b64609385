import { BatchGetCommand, BatchWriteCommand, GetCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../platform/clients.js';
import { config } from '../platform/config.js';
import type { HistoryEntry } from './history.js';
import {
  CONSENT_SK_PREFIX,
  historyKey,
  historyPartition,
  isValidUserId,
  type ItemKey,
  metamodelPartition,
  REFERENCE_SK,
  referenceDataKeyKey,
  referenceKey,
  referencePartition,
  schemaDataKeyKey,
  userClaimKey,
} from './keys.js';
import type { ConsentRow, ReferenceItem, SchemaItem } from './model.js';

/** Reads of the consent context. Every read that decides a write is strongly consistent. */
type Row = Record<string, unknown>;

async function queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Row[]> {
  const rows: Row[] = [];
  let start: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page = await dynamoClient().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    rows.push(...((page.Items ?? []) as Row[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}

export async function getReference(tenant: string, ref: string): Promise<ReferenceItem | undefined> {
  const result = await dynamoClient().send(
    new GetCommand({ TableName: config().tableName, Key: referenceKey(tenant, ref), ConsistentRead: true }),
  );
  return result.Item as ReferenceItem | undefined;
}

export interface ReferencePartition {
  readonly reference?: ReferenceItem;
  readonly consents: ConsentRow[];
}

/** The reference and all its consents: one Query of its partition. */
export async function loadReferencePartition(tenant: string, ref: string): Promise<ReferencePartition> {
  const rows = await queryAll({
    TableName: config().tableName,
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': referencePartition(tenant, ref) },
    ConsistentRead: true,
  });
  return {
    reference: rows.find((row) => row.SK === REFERENCE_SK) as ReferenceItem | undefined,
    consents: rows.filter((row) => String(row.SK).startsWith(CONSENT_SK_PREFIX)) as unknown as ConsentRow[],
  };
}

/** The tenant's whole metamodel (active and removed schemas): one Query. */
export async function loadMetamodel(tenant: string): Promise<SchemaItem[]> {
  const rows = await queryAll({
    TableName: config().tableName,
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': metamodelPartition(tenant) },
    ConsistentRead: true,
  });
  return rows as unknown as SchemaItem[];
}

/** The user's reference; none for an id that can never have one (over-long: no key could hold it). */
export async function getUserClaim(tenant: string, user: string): Promise<string | undefined> {
  if (!isValidUserId(user)) return undefined;
  const result = await dynamoClient().send(
    new GetCommand({ TableName: config().tableName, Key: userClaimKey(tenant, user), ConsistentRead: true }),
  );
  return result.Item?.ref as string | undefined;
}

export async function getItem<T>(table: 'main' | 'keys', key: ItemKey): Promise<T | undefined> {
  const TableName = table === 'main' ? config().tableName : config().keyTableName;
  const result = await dynamoClient().send(new GetCommand({ TableName, Key: key, ConsistentRead: true }));
  return result.Item as T | undefined;
}

export interface StoredDataKey {
  readonly wrapped: string;
}
export interface StoredSchemaKey {
  readonly wrapped: string;
  readonly grantBlob: string;
}

/** The wrapped data key of a reference and the wrapped keys of some of its schemas: one BatchGet. */
export async function loadKeys(tenant: string, ref: string, schemas: readonly string[]) {
  const keys = [referenceDataKeyKey(tenant, ref), ...schemas.map((s) => schemaDataKeyKey(tenant, ref, s))];
  const rows: Row[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100).map((k) => ({ ...k }));
    while (pending && pending.length > 0) {
      const result = await dynamoClient().send(
        new BatchGetCommand({
          RequestItems: { [config().keyTableName]: { Keys: pending, ConsistentRead: true } },
        }),
      );
      rows.push(...((result.Responses?.[config().keyTableName] ?? []) as Row[]));
      pending = result.UnprocessedKeys?.[config().keyTableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  const dataKey = rows.find((row) => row.SK === referenceDataKeyKey(tenant, ref).SK) as StoredDataKey | undefined;
  const schemaKeys = new Map<string, StoredSchemaKey>();
  for (const schema of schemas) {
    const row = rows.find((r) => r.SK === schemaDataKeyKey(tenant, ref, schema).SK);
    if (row) schemaKeys.set(schema, row as unknown as StoredSchemaKey);
  }
  return { dataKey, schemaKeys };
}

/**
 * Which of `refs` still hold a wrapped key for which of `schemas` (a merged reference's aliases, on a
 * revoke): BatchGets of at most 100 keys, strongly consistent. Pairs `{ref, schema}` that exist.
 */
export async function existingSchemaKeys(tenant: string, refs: readonly string[], schemas: readonly string[]): Promise<Array<{ ref: string; schema: string }>> {
  const wanted = refs.flatMap((ref) => schemas.map((schema) => ({ ref, schema, key: schemaDataKeyKey(tenant, ref, schema) })));
  const found = new Set<string>();
  const id = (key: { PK: unknown; SK: unknown }) => `${String(key.PK)}\u0000${String(key.SK)}`;
  for (let i = 0; i < wanted.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = wanted.slice(i, i + 100).map(({ key }) => ({ ...key }));
    while (pending && pending.length > 0) {
      const result = await dynamoClient().send(new BatchGetCommand({
        RequestItems: { [config().keyTableName]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'PK, SK' } },
      }));
      for (const row of result.Responses?.[config().keyTableName] ?? []) found.add(id(row as ItemKey));
      pending = result.UnprocessedKeys?.[config().keyTableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return wanted.filter(({ key }) => found.has(id(key))).map(({ ref, schema }) => ({ ref, schema }));
}

/**
 * Up to `count` history entries in sequence order, starting at `fromSeq` (inclusive): one page of the
 * chain (strongly consistent; several Query calls only when DynamoDB's 1 MB page ends first).
 */
export async function loadHistoryFrom(tenant: string, ref: string, fromSeq: number, count: number): Promise<HistoryEntry[]> {
  const rows: Row[] = [];
  let start: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page = await dynamoClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: 'PK = :pk AND SK >= :from',
        ExpressionAttributeValues: { ':pk': historyPartition(tenant, ref), ':from': historyKey(tenant, ref, fromSeq).SK },
        ConsistentRead: true,
        Limit: count - rows.length,
        ExclusiveStartKey: start,
      }),
    );
    rows.push(...((page.Items ?? []) as Row[]));
    start = page.LastEvaluatedKey;
  } while (start && rows.length < count);
  return rows as unknown as HistoryEntry[];
}

/** Every key-table item of a reference (its data key and all schema keys). */
export async function loadKeyPartition(tenant: string, ref: string): Promise<Array<{ PK: string; SK: string; wrapped?: string }>> {
  const rows = await queryAll({
    TableName: config().keyTableName,
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': referencePartition(tenant, ref) },
    ConsistentRead: true,
  });
  return rows as Array<{ PK: string; SK: string; wrapped?: string }>;
}

/** Deletes items in batches of 25, retrying unprocessed ones. */
export async function deleteAll(table: 'main' | 'keys', keys: readonly ItemKey[]): Promise<void> {
  const TableName = table === 'main' ? config().tableName : config().keyTableName;
  for (let i = 0; i < keys.length; i += 25) {
    let requests: BatchWriteRequests | undefined = keys.slice(i, i + 25).map((k) => ({ DeleteRequest: { Key: { PK: k.PK, SK: k.SK } } }));
    while (requests && requests.length > 0) {
      const result = await dynamoClient().send(new BatchWriteCommand({ RequestItems: { [TableName]: requests } }));
      requests = result.UnprocessedItems?.[TableName] as BatchWriteRequests | undefined;
    }
  }
}
type BatchWriteRequests = Array<{ DeleteRequest: { Key: Record<string, unknown> } }>;
