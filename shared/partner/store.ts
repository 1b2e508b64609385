import * as z from 'zod/mini';
import { batchGet, entity, getRow, type ItemKey, partition, queryAll, queryPage, RACE, type RetryPolicy, type Row, stored } from '../platform/table/index.js';
import { GSI1, GSI2 } from '../platform/table-design.js';
import {
  childrenPartition,
  ENTITY,
  externeIdClaimKey,
  externeIdPartition,
  grantsPartition,
  type Key,
  partnerKey,
  zugangKey,
} from './keys.js';
import { partnerFromItem, type PartnerRecord } from './model.js';

/**
 * Table access of the partner context, on the table kit (decision 0060). The domain sees records and
 * keys, never a DynamoDB response: rows are parsed here against their entity's declaration.
 */

/**
 * A read-decide-write on one partner item that lost its race re-reads and tries again (`untilWon`):
 * the partner context's 4 tries, with the kit's jittered backoff.
 */
export const PARTNER_RACE: RetryPolicy = { ...RACE, tries: 4 };

/** The partner item: master data, type, parent, ancestor path, own lock flag, rights, version. */
export const Partner = entity({
  type: ENTITY.partner,
  table: 'main',
  key: partnerKey,
  row: z.looseObject({
    tenant: z.string(),
    partnerId: z.string(),
    typ: z.string(),
    parentId: stored(z.string()),
    path: stored(z.array(z.string())),
    locked: stored(z.boolean()),
    version: stored(z.number()),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
  /** GSI1: children of a parent; GSI2: partners by external id. */
  indexes: [GSI1, GSI2],
});

/** The Zugang (user access) of a partner, next to the partner item. */
export const Zugang = entity({
  type: ENTITY.zugang,
  table: 'main',
  key: zugangKey,
  row: z.looseObject({ partnerId: z.string(), status: z.string() }),
});

/** Uniqueness claim of an external id below a parent (decision 0021): which child holds it. */
export const ExterneIdClaim = entity({
  type: ENTITY.externeIdClaim,
  table: 'main',
  key: externeIdClaimKey,
  row: z.looseObject({ partnerId: z.string() }),
});

export const partnerRecord = (row: Row): PartnerRecord => partnerFromItem(Partner.parse(row));

/** Items read by key, looked up by key. */
export interface Items {
  get(key: Key): Row | undefined;
  values(): Row[];
}

/**
 * Reads many items by key (eventually consistent, as the partner reads always were): one GetItem for
 * a single key, otherwise BatchGetItem calls of 100 keys with the kit's backoff on unprocessed keys.
 */
export async function getItems(keys: readonly Key[]): Promise<Items> {
  const unique = [...new Map(keys.map((k) => [`${k.PK}|${k.SK}`, k])).values()];
  if (unique.length === 1) {
    const row = await getRow('main', unique[0], false);
    return { get: (key) => (row && key.PK === row.PK && key.SK === row.SK ? row : undefined), values: () => (row ? [row] : []) };
  }
  if (unique.length === 0) return { get: () => undefined, values: () => [] };
  const found = await batchGet([{ table: 'main', keys: unique as ItemKey[], consistent: false }]);
  return { get: (key) => found.get('main', key), values: () => found.rows('main') };
}

export async function getPartners(tenant: string, ids: readonly string[]): Promise<Map<string, PartnerRecord>> {
  const items = await getItems(ids.map((id) => partnerKey(tenant, id)));
  const out = new Map<string, PartnerRecord>();
  for (const item of items.values()) {
    const record = partnerRecord(item);
    out.set(record.partnerId, record);
  }
  return out;
}

export async function getZugangItem(tenant: string, partnerId: string): Promise<Row | undefined> {
  const row = await getRow('main', Zugang.key(tenant, partnerId), false);
  return row && { ...Zugang.parse(row) };
}

/**
 * The child of `parentId` that holds `externePartnerId` (its uniqueness claim), read strongly
 * consistently together with the partner itself, so a create that just lost the race for the claim
 * finds the winner at once (the external-id index is only eventually consistent).
 */
export async function getChildByExterneId(tenant: string, parentId: string, externePartnerId: string): Promise<PartnerRecord | undefined> {
  const claim = ExterneIdClaim.parseOptional(await getRow('main', ExterneIdClaim.key(tenant, parentId, externePartnerId)));
  if (!claim) return undefined;
  const row = await getRow('main', Partner.key(tenant, claim.partnerId));
  return row ? partnerRecord(row) : undefined;
}

/** Children of a parent, all pages (GSI1). */
export async function queryChildren(tenant: string, parentId: string): Promise<PartnerRecord[]> {
  return (await queryAll('main', partition(childrenPartition(tenant, parentId), undefined, GSI1))).map(partnerRecord);
}

/** Partners carrying an external id (GSI2); there are rarely more than a handful. */
export async function queryByExterneId(tenant: string, externePartnerId: string): Promise<PartnerRecord[]> {
  return (await queryAll('main', partition(externeIdPartition(tenant, externePartnerId), undefined, GSI2))).map(partnerRecord);
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
  const out = await queryPage('main', {
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
    ExpressionAttributeValues: {
      ':pk': grantsPartition(tenant, holder),
      ':lo': backwards || !bound ? prefix : `${prefix}${bound}`,
      ':hi': backwards ? `${prefix}${bound}` : end,
    },
    ConsistentRead: false,
    ScanIndexForward: !backwards,
    Limit: page.size + (bound ? 2 : 1),
    ProjectionExpression: 'SK',
  });
  const targets = out.rows.map((item) => String(item.SK).slice(prefix.length)).filter((target) => target !== bound);
  const more = targets.length > page.size;
  const pageTargets = targets.slice(0, page.size);
  return { targets: backwards ? pageTargets.reverse() : pageTargets, more };
}
