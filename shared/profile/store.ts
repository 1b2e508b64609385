import * as z from 'zod/mini';
import { batchGet, entity, type ItemKey as KitKey, partition, queryAll as queryRows, queryPage as queryKitPage, type Row, tableName } from '../platform/table/index.js';
import { ENTITY, importedKey, type ItemKey, itemKey, relationKey, shareImportKey, shareKey, sharePointerKey } from './keys.js';

/**
 * Table access of the profile context, on the table kit (decision 0060): one BatchGet over both
 * tables, Queries of a partition. Transactions go through the kit's `transact` directly.
 */
export type { Row };
export type { TransactItem } from '../platform/table/index.js';

/*
 * The profile rows, declared once (decision 0060): reads parse them here, so the domain sees typed records
 * (the shapes of `model.ts`) and a row that does not match fails loudly (`RowMismatch`). Fields absent on
 * rows written before a decision (scope, partnerId, apps, copyId, …) are optional.
 */

/** A data item of the guest (`Person`, partner data, …): sealed payload and its governance. */
export const Item = entity({
  type: ENTITY.item,
  table: 'main',
  key: itemKey,
  row: z.looseObject({
    tenant: z.string(),
    id: z.string(),
    name: z.string(),
    governance: z.looseObject({
      entityType: z.string(),
      profile: z.string(),
      partnerId: z.optional(z.string()),
      clientId: z.optional(z.string()),
      role: z.enum(['related-partner', 'creator-app']),
    }),
    scope: z.optional(z.string()),
    sealedWith: z.looseObject({ consentReference: z.string(), grantBlob: z.string() }),
    payload: z.string(),
    size: z.number(),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
    importedFrom: z.optional(z.looseObject({ sharingIdentifier: z.string(), importedAt: z.string() })),
  }),
});
export type StoredItem = z.infer<typeof Item.row>;

/** The guest's relation to a partner. */
export const Relation = entity({
  type: ENTITY.relation,
  table: 'main',
  key: relationKey,
  row: z.looseObject({
    tenant: z.string(),
    guest: z.string(),
    partnerId: z.string(),
    clientId: z.optional(z.string()),
    apps: z.optional(z.array(z.string())),
    since: z.string(),
    endedAt: z.optional(z.string()),
  }),
});

/** A share of one object, in its own partition. */
export const Share = entity({
  type: ENTITY.share,
  table: 'main',
  key: shareKey,
  row: z.looseObject({
    tenant: z.string(),
    sharingIdentifier: z.string(),
    sharer: z.string(),
    partnerId: z.string(),
    clientId: z.string(),
    scope: z.optional(z.string()),
    name: z.string(),
    itemId: z.optional(z.string()),
    initials: z.string(),
    status: z.enum(['active', 'withdrawn']),
    shareExpiresAt: z.optional(z.string()),
    maxImports: z.optional(z.number()),
    importCount: z.number(),
    createdAt: z.string(),
    withdrawnAt: z.optional(z.string()),
  }),
});
export type StoredShare = z.infer<typeof Share.row>;

/** The guest's pointer to the active share of one of their objects. */
export const SharePointer = entity({
  type: ENTITY.sharePointer,
  table: 'main',
  key: sharePointerKey,
  row: z.looseObject({
    sharingIdentifier: z.string(),
    clientId: z.string(),
    scope: z.optional(z.string()),
    partnerId: z.optional(z.string()),
    name: z.string(),
  }),
});

/** Who imported a share (next to the share). */
export const ShareImport = entity({
  type: ENTITY.shareImport,
  table: 'main',
  key: shareImportKey,
  row: z.looseObject({
    sharingIdentifier: z.string(),
    importer: z.string(),
    copyName: z.string(),
    firstImportedAt: z.string(),
    lastImportedAt: z.string(),
    imports: z.number(),
  }),
});

/** In the importer's partition: which copy a share was imported into. */
export const Imported = entity({
  type: ENTITY.imported,
  table: 'main',
  key: importedKey,
  row: z.looseObject({
    sharingIdentifier: z.string(),
    clientId: z.string(),
    scope: z.optional(z.string()),
    copyName: z.string(),
    copyId: z.optional(z.string()),
    sharer: z.string(),
    importedAt: z.string(),
  }),
});
export type StoredImported = z.infer<typeof Imported.row>;

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
