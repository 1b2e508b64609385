import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../platform/clients.js';
import { config } from '../platform/config.js';
import {
  childrenPartition,
  externeIdClaimKey,
  externeIdPartition,
  grantsPartition,
  type Key,
  partnerKey,
  zugangKey,
} from './keys.js';
import { partnerFromItem, type PartnerRecord } from './model.js';
import type { TransactWriteItem } from './transact.js';

/** Table access of the partner context. The domain sees records and keys, never a DynamoDB response. */
type Item = Record<string, unknown>;
const table = () => config().tableName;
const keyString = (key: Key) => `${key.PK}|${key.SK}`;
const BATCH_LIMIT = 100;

/** Reads many items by key: one BatchGetItem per 100 keys (one GetItem for a single key). */
export async function getItems(keys: readonly Key[]): Promise<Map<string, Item>> {
  const unique = [...new Map(keys.map((k) => [keyString(k), k])).values()];
  const found = new Map<string, Item>();
  if (unique.length === 1) {
    const { Item } = await dynamoClient().send(new GetCommand({ TableName: table(), Key: { ...unique[0] } }));
    if (Item) found.set(keyString(unique[0]), Item);
    return found;
  }
  for (let i = 0; i < unique.length; i += BATCH_LIMIT) {
    let pending: Key[] = unique.slice(i, i + BATCH_LIMIT);
    // Unprocessed keys only come back under throttling; retry them with a short back-off.
    for (let attempt = 0; pending.length > 0; attempt++) {
      const out = await dynamoClient().send(
        new BatchGetCommand({ RequestItems: { [table()]: { Keys: pending.map((k) => ({ ...k })) } } }),
      );
      for (const item of out.Responses?.[table()] ?? []) found.set(keyString(item as unknown as Key), item);
      pending = (out.UnprocessedKeys?.[table()]?.Keys ?? []) as Key[];
      if (pending.length > 0) {
        if (attempt >= 5) throw new Error('BatchGetItem kept returning unprocessed keys');
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
    }
  }
  return found;
}

export const itemOf = (items: ReadonlyMap<string, Item>, key: Key) => items.get(keyString(key));

export async function getPartners(tenant: string, ids: readonly string[]): Promise<Map<string, PartnerRecord>> {
  const items = await getItems(ids.map((id) => partnerKey(tenant, id)));
  const out = new Map<string, PartnerRecord>();
  for (const item of items.values()) out.set(item.partnerId as string, partnerFromItem(item));
  return out;
}

export async function getZugangItem(tenant: string, partnerId: string): Promise<Item | undefined> {
  const { Item } = await dynamoClient().send(new GetCommand({ TableName: table(), Key: { ...zugangKey(tenant, partnerId) } }));
  return Item;
}

/**
 * The child of `parentId` that holds `externePartnerId` (its uniqueness claim), read strongly
 * consistently together with the partner itself, so a create that just lost the race for the claim
 * finds the winner at once (the external-id index is only eventually consistent).
 */
export async function getChildByExterneId(tenant: string, parentId: string, externePartnerId: string): Promise<PartnerRecord | undefined> {
  const { Item: claim } = await dynamoClient().send(
    new GetCommand({ TableName: table(), Key: { ...externeIdClaimKey(tenant, parentId, externePartnerId) }, ConsistentRead: true }),
  );
  if (!claim) return undefined;
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: table(), Key: { ...partnerKey(tenant, claim.partnerId as string) }, ConsistentRead: true }),
  );
  return Item ? partnerFromItem(Item) : undefined;
}

/** Children of a parent, all pages (GSI1). */
export function queryChildren(tenant: string, parentId: string): Promise<PartnerRecord[]> {
  return queryAllPartners('GSI1', 'GSI1PK', childrenPartition(tenant, parentId));
}

/** Partners carrying an external id (GSI2); there are rarely more than a handful. */
export function queryByExterneId(tenant: string, externePartnerId: string): Promise<PartnerRecord[]> {
  return queryAllPartners('GSI2', 'GSI2PK', externeIdPartition(tenant, externePartnerId));
}

async function queryAllPartners(indexName: string, keyAttribute: string, partition: string): Promise<PartnerRecord[]> {
  const out: PartnerRecord[] = [];
  let start: Item | undefined;
  do {
    const page = await dynamoClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': keyAttribute },
        ExpressionAttributeValues: { ':pk': partition },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) out.push(partnerFromItem(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

export interface GrantPageRequest {
  readonly after?: string;
  readonly before?: string;
  readonly size: number;
}

export interface GrantPage {
  readonly targets: string[];
  /** One more item exists beyond the page in the direction read. */
  readonly more: boolean;
}

/**
 * One Query per page over a holder's grants of one kind, forwards after a target or backwards before
 * one. BETWEEN keeps the read inside the kind (no filter, so `Limit` counts only grants); the bound
 * itself is inclusive and dropped here.
 */
export async function queryGrantPage(tenant: string, holder: string, prefix: string, page: GrantPageRequest): Promise<GrantPage> {
  const backwards = page.before !== undefined;
  const bound = page.before ?? page.after;
  const end = `${prefix.slice(0, -1)}$`; // '$' sorts right after '#': the end of this kind's range
  const out = await dynamoClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': grantsPartition(tenant, holder),
        ':lo': backwards || !bound ? prefix : `${prefix}${bound}`,
        ':hi': backwards ? `${prefix}${bound}` : end,
      },
      ScanIndexForward: !backwards,
      Limit: page.size + (bound ? 2 : 1),
      ProjectionExpression: 'SK',
    }),
  );
  const targets = (out.Items ?? [])
    .map((item) => String(item.SK).slice(prefix.length))
    .filter((target) => target !== bound);
  const more = targets.length > page.size;
  const pageTargets = targets.slice(0, page.size);
  return { targets: backwards ? pageTargets.reverse() : pageTargets, more };
}

export class TransactionConflict extends Error {
  constructor(readonly reasons: readonly (string | undefined)[]) {
    super(`Transaction cancelled: ${reasons.join(', ')}`);
  }
}

/** One TransactWriteItems; a cancellation reports which item's condition failed (by index). */
export async function transact(items: readonly TransactWriteItem[]): Promise<void> {
  try {
    await dynamoClient().send(new TransactWriteCommand({ TransactItems: [...items] }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      throw new TransactionConflict((error.CancellationReasons ?? []).map((r) => r.Code));
    }
    throw error;
  }
}
