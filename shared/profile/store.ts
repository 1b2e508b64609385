import { batchGet, type ItemKey as KitKey, partition, queryAll as queryRows, queryPage as queryKitPage, type Row, tableName } from '../platform/table/index.js';
import type { ItemKey } from './keys.js';

/**
 * Table access of the profile context, on the table kit (decision 0060): one BatchGet over both
 * tables, Queries of a partition. Transactions go through the kit's `transact` directly.
 */
export type { Row };
export type { TransactItem } from '../platform/table/index.js';

export interface Rows {
  main(key: ItemKey): Row | undefined;
  keys(key: ItemKey): Row | undefined;
}

/**
 * Reads `main` keys from the data table and `keys` keys from the key table in strongly consistent
 * BatchGetItem calls (the kit retries what DynamoDB leaves unprocessed, with backoff). Duplicate keys
 * are read once.
 */
export async function readRows(main: readonly ItemKey[], keys: readonly ItemKey[] = []): Promise<Rows> {
  const requests = [
    ...(main.length > 0 ? [{ table: 'main' as const, keys: main as readonly KitKey[] }] : []),
    ...(keys.length > 0 ? [{ table: 'keys' as const, keys: keys as readonly KitKey[] }] : []),
  ];
  const found = requests.length > 0 ? await batchGet(requests) : undefined;
  return {
    main: (key) => found?.get('main', key),
    keys: (key) => found?.get('keys', key),
  };
}

/** Every row of a partition (optionally below a sort-key prefix), strongly consistent. */
export function queryAll(pk: string, skPrefix?: string): Promise<Row[]> {
  return queryRows('main', partition(pk, skPrefix));
}

export interface Page {
  readonly rows: Row[];
  readonly next?: string;
}

/** One page of a partition below a prefix; `cursor` is the opaque `next` of the previous page. */
export async function queryPage(pk: string, skPrefix: string, limit: number, cursor?: string): Promise<Page> {
  const start = cursor ? { PK: pk, SK: Buffer.from(cursor, 'base64url').toString('utf8') } : undefined;
  if (start && !start.SK.startsWith(skPrefix)) return { rows: [] };
  const page = await queryKitPage('main', { ...partition(pk, skPrefix), Limit: limit }, start);
  const last = page.lastKey as { SK: string } | undefined;
  return { rows: page.rows, next: last ? Buffer.from(last.SK, 'utf8').toString('base64url') : undefined };
}

export const mainTable = () => tableName('main');
