import { config } from '../platform/config.js';
import { einstellungsrechtKey, ENTITY, externeIdClaimKey, externeIdIndexKeys, partnerKey } from './keys.js';
import { partnerItem, type PartnerRecord } from './model.js';
import type { TransactItem } from '../platform/table/index.js';

/** Transaction items of partner writes: every one carries the condition that makes it safe. */
const table = () => config().tableName;

export function putNewPartner(record: PartnerRecord): TransactItem {
  return { Put: { TableName: table(), Item: partnerItem(record), ConditionExpression: 'attribute_not_exists(PK)' } };
}

/** Everyone may manage itself; stored explicitly so `administrierbare` is one Query per page. */
export function putSelfEinstellungsrecht(tenant: string, partnerId: string, now: string): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { ...einstellungsrechtKey(tenant, partnerId, partnerId), entityType: ENTITY.einstellungsrecht, tenant, holder: partnerId, target: partnerId, grantedAt: now },
    },
  };
}

/** The parent still exists where we saw it (no concurrent move between our read and this write). */
export function parentUnmoved(tenant: string, parent: PartnerRecord): TransactItem {
  return {
    ConditionCheck: {
      TableName: table(),
      Key: { ...partnerKey(tenant, parent.partnerId) },
      ConditionExpression: 'attribute_exists(PK) AND #path = :path',
      ExpressionAttributeNames: { '#path': 'path' },
      ExpressionAttributeValues: { ':path': [...parent.path] },
    },
  };
}

/**
 * Every ancestor on a verified `path` still has the place we saw (its own path, hence its parent, as
 * read). A move checks this for the new parent's ancestors: the new parent's row alone does not
 * change when an ancestor of it moves, and only this keeps two concurrent moves from closing a cycle.
 */
export function ancestryUnchanged(tenant: string, path: readonly string[]): TransactItem[] {
  return path.map((id, i) => ({
    ConditionCheck: {
      TableName: table(),
      Key: { ...partnerKey(tenant, id) },
      ConditionExpression: 'attribute_exists(PK) AND #path = :path',
      ExpressionAttributeNames: { '#path': 'path' },
      ExpressionAttributeValues: { ':path': path.slice(0, i) },
    },
  }));
}

/**
 * Master data, own lock and rights of `next`, if the item is still at `expectedVersion`. Paths are
 * not touched, so a concurrent path rewrite after a move never conflicts with it.
 */
export function updatePartnerState(next: PartnerRecord, expectedVersion: number): TransactItem {
  const external = next.attributes.externePartnerId;
  const sets = ['attributes = :a', 'locked = :l', 'rechte = :r', 'version = :nv', 'updatedAt = :u'];
  const values: Record<string, unknown> = {
    ':a': next.attributes,
    ':l': next.locked,
    ':r': next.rechte,
    ':nv': next.version,
    ':u': next.updatedAt,
    ':v': expectedVersion,
  };
  if (external) {
    const index = externeIdIndexKeys(next.tenant, external, next.partnerId);
    sets.push('GSI2PK = :g2pk', 'GSI2SK = :g2sk');
    values[':g2pk'] = index.GSI2PK;
    values[':g2sk'] = index.GSI2SK;
  }
  return {
    Update: {
      TableName: table(),
      Key: { ...partnerKey(next.tenant, next.partnerId) },
      UpdateExpression: `SET ${sets.join(', ')}${external ? '' : ' REMOVE GSI2PK, GSI2SK'}`,
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * `partnerId` holds `externePartnerId` among the children of `parentId`: fails when another child
 * holds it (the uniqueness guard of create-or-update; decision 0021). Re-claiming one's own is a no-op.
 */
export function claimExterneId(tenant: string, parentId: string | undefined, externePartnerId: string, partnerId: string): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { ...externeIdClaimKey(tenant, parentId, externePartnerId), entityType: ENTITY.externeIdClaim, tenant, parentId, externePartnerId, partnerId },
      ConditionExpression: 'attribute_not_exists(PK) OR partnerId = :id',
      ExpressionAttributeValues: { ':id': partnerId },
    },
  };
}

/** Gives up `partnerId`'s claim (absent for partners written before claims existed: nothing to do). */
export function releaseExterneId(tenant: string, parentId: string | undefined, externePartnerId: string, partnerId: string): TransactItem {
  return {
    Delete: {
      TableName: table(),
      Key: { ...externeIdClaimKey(tenant, parentId, externePartnerId) },
      ConditionExpression: 'attribute_not_exists(PK) OR partnerId = :id',
      ExpressionAttributeValues: { ':id': partnerId },
    },
  };
}

/**
 * The claim items that keep a partner's external id unique below its parent when it goes from
 * (`fromParent`, `fromId`) to (`toParent`, `toId`): release the old, claim the new; nothing when
 * neither changes, unless `ensure` (re-claim, for partners stored before claims existed).
 */
export function externeIdClaimChanges(
  tenant: string,
  partnerId: string,
  from: { parentId: string | undefined; externePartnerId: string | undefined },
  to: { parentId: string | undefined; externePartnerId: string | undefined },
  ensure = false,
): TransactItem[] {
  const same = from.parentId === to.parentId && from.externePartnerId === to.externePartnerId;
  if (same && !ensure) return [];
  const items: TransactItem[] = [];
  if (from.externePartnerId && !same) items.push(releaseExterneId(tenant, from.parentId, from.externePartnerId, partnerId));
  if (to.externePartnerId) items.push(claimExterneId(tenant, to.parentId, to.externePartnerId, partnerId));
  return items;
}

/**
 * A descendant's path after a move, if it still has the path the move read (a later move of it
 * rewrites it otherwise). Sent on its own (UpdateItem), many in parallel.
 */
export function rewritePath(tenant: string, partnerId: string, from: readonly string[], to: readonly string[]) {
  return {
    TableName: table(),
    Key: { ...partnerKey(tenant, partnerId) },
    UpdateExpression: 'SET #path = :new',
    ConditionExpression: '#path = :old',
    ExpressionAttributeNames: { '#path': 'path' },
    ExpressionAttributeValues: { ':new': [...to], ':old': [...from] },
  };
}

/** One stored map of the partner item (`kennzeichen`, `lizenzen`), if the item is still at `expectedVersion`. */
export function updatePartnerMap(next: PartnerRecord, field: 'kennzeichen' | 'lizenzen', expectedVersion: number): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: { ...partnerKey(next.tenant, next.partnerId) },
      UpdateExpression: 'SET #field = :value, version = :nv, updatedAt = :u',
      ConditionExpression: 'version = :v',
      ExpressionAttributeNames: { '#field': field },
      ExpressionAttributeValues: { ':value': next[field], ':nv': next.version, ':u': next.updatedAt, ':v': expectedVersion },
    },
  };
}
