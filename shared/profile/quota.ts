import { DomainError } from '../platform/errors.js';
import type { OperationContext } from './context.js';
import { guestPartition, type ItemKey, ITEM_SK_PREFIX, settingsKey } from './keys.js';
import type { DataItem } from './model.js';
import { getRow } from '../platform/table/index.js';
import { Item, mainTable, queryAll, type Row, type TransactItem } from './store.js';

/**
 * The per-guest quota on stored data (docs/profile.md, "Quota"; decision 0041): at most `maxItems` data
 * items and `maxBytes` of their JSON payloads per guest per tenant — the guest's `Person`, partner data and
 * imported copies alike. One usage counter per guest (`USAGE` in the guest's partition) is changed in the
 * SAME transaction as the item it counts, conditional on the quota, so parallel writes can never exceed it
 * together: the one that would cross the line fails and, on its re-read, gets `413 GuestQuotaExceeded`.
 *
 * The counter is derived data: deleting it is always safe. A write that finds none counts the guest's
 * items with one Query and creates it (conditional on it still being absent), so guests who stored data
 * before the quota existed, and erasures that drop the counter, need no migration.
 */
export interface Quota {
  readonly maxItems: number;
  readonly maxBytes: number;
}

/** The platform's limits per guest per tenant; a tenant may set lower ones in its profile settings. */
export const PLATFORM_GUEST_QUOTA: Quota = { maxItems: 1000, maxBytes: 16 * 1024 * 1024 };

export const USAGE_SK = 'USAGE';
export const usageKey = (tenant: string, guest: string): ItemKey => ({ PK: guestPartition(tenant, guest), SK: USAGE_SK });
const USAGE_ENTITY = 'ProfileUsage';

export interface Usage {
  readonly items: number;
  readonly bytes: number;
}

/** The quota a tenant's settings row sets (each limit at most the platform's), else the platform's. */
export function quotaOf(settings: Row | undefined): Quota {
  const configured = (settings?.guestQuota ?? {}) as Partial<Quota>;
  const pick = (value: unknown, max: number) => (typeof value === 'number' && value >= 0 && value < max ? value : max);
  return {
    maxItems: pick(configured.maxItems, PLATFORM_GUEST_QUOTA.maxItems),
    maxBytes: pick(configured.maxBytes, PLATFORM_GUEST_QUOTA.maxBytes),
  };
}

export const quotaExceeded = (quota: 'items' | 'bytes', limit: number, used: number, requested: number) =>
  new DomainError(
    'TooLarge',
    quota === 'items'
      ? `The guest may store at most ${limit} data items in this tenant (${used} stored); delete some first`
      : `The guest may store at most ${limit} bytes of data in this tenant (${used} stored, ${requested} more requested); delete some first`,
    'GuestQuotaExceeded',
    { quota, limit, used, requested },
  );

/** How a write changes the usage: `next` replaces `previous` (either may be absent: a create or a delete). */
export const usageChange = (next: Pick<DataItem, 'size'> | undefined, previous: Pick<DataItem, 'size'> | undefined): Usage => ({
  items: (next ? 1 : 0) - (previous ? 1 : 0),
  bytes: (next?.size ?? 0) - (previous?.size ?? 0),
});

/** The guest's usage as stored items say: one Query (only when there is no counter yet). */
async function countItems(tenant: string, guest: string): Promise<Usage> {
  const rows = (await queryAll(guestPartition(tenant, guest), ITEM_SK_PREFIX)).map((row) => Item.parse(row));
  return { items: rows.length, bytes: rows.reduce((sum, row) => sum + (Number(row.size) || 0), 0) };
}

/**
 * The transaction item that records `change` in the guest's usage counter, or 413 when the write would
 * exceed the quota. Pass `usageKey(tenant, guest)` among the operation's keys so the counter is read in its
 * one BatchGet (else it costs one GetItem). Conditions make a racing writer fail the transaction (the
 * operation retries on a fresh read): a growth only while the counter still leaves room for it, a creation
 * only while there is still no counter, and a shrink of an absent counter only while it stays absent.
 */
export async function usageWrite(context: OperationContext, change: Usage): Promise<TransactItem> {
  const { tenant, guest } = context.caller;
  const key = usageKey(tenant, guest);
  let counter = context.row<Usage>(key);
  counter ??= (await getRow('main', key)) as Usage | undefined;
  const quota = quotaOf(context.row<Row>(settingsKey(tenant)));

  if (!counter) {
    if (change.items <= 0 && change.bytes <= 0) {
      // Nothing to count against: the next growing write counts the items as they are then.
      return { ConditionCheck: { TableName: mainTable(), Key: key, ConditionExpression: 'attribute_not_exists(PK)' } };
    }
    const now = await countItems(tenant, guest);
    requireRoom(quota, now, change);
    return {
      Put: {
        TableName: mainTable(),
        Item: { ...key, entityType: USAGE_ENTITY, tenant, guest, items: now.items + change.items, bytes: now.bytes + change.bytes },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  requireRoom(quota, counter, change);
  const conditions = ['attribute_exists(PK)'];
  const values: Record<string, number> = { ':di': change.items, ':db': change.bytes };
  if (change.items > 0) {
    conditions.push('#items <= :roomItems');
    values[':roomItems'] = quota.maxItems - change.items;
  }
  if (change.bytes > 0) {
    conditions.push('#bytes <= :roomBytes');
    values[':roomBytes'] = quota.maxBytes - change.bytes;
  }
  return {
    Update: {
      TableName: mainTable(),
      Key: key,
      UpdateExpression: 'ADD #items :di, #bytes :db',
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#items': 'items', '#bytes': 'bytes' },
      ExpressionAttributeValues: values,
    },
  };
}

/** 413 when `change` does not fit beside `used`; a write that shrinks a dimension is never refused for it. */
function requireRoom(quota: Quota, used: Usage, change: Usage): void {
  if (change.items > 0 && used.items + change.items > quota.maxItems) throw quotaExceeded('items', quota.maxItems, used.items, change.items);
  if (change.bytes > 0 && used.bytes + change.bytes > quota.maxBytes) throw quotaExceeded('bytes', quota.maxBytes, used.bytes, change.bytes);
}

/** Erasure drops the counter (derived data; the next write recounts what is left). */
export const usageDelete = (tenant: string, guest: string): TransactItem => ({ Delete: { TableName: mainTable(), Key: usageKey(tenant, guest) } });
