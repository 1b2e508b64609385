import { isConditionalCheckFailed, putRow, updateRow } from '../platform/table/index.js';
import type { GuestCaller } from './caller.js';
import type { OperationContext } from './context.js';
import { ENTITY, relationIndexKeys, relationKey } from './keys.js';
import type { RelationItem } from './model.js';
import { mainTable, type TransactItem } from './store.js';

/** A relation records at most this many apps of its partner (a partner's apps are few; this bounds the item). */
export const MAX_RELATION_APPS = 100;

/** The partner's apps the guest signed in through (relations recorded before `apps` existed: the first app). */
export const relationApps = (relation: RelationItem): string[] =>
  [...new Set([...(relation.apps ?? []), ...(relation.clientId ? [relation.clientId] : [])])].sort();

/** Whether this call through an app of an active relation is the first through that app (its app is recorded). */
export const recordsApp = (relation: RelationItem | undefined, clientId: string | undefined): boolean =>
  relation !== undefined && clientId !== undefined && !relationApps(relation).includes(clientId) && (relation.apps?.length ?? 0) < MAX_RELATION_APPS;

/** The Put that records (or, after a new sign-in, renews) the relation guest ↔ partner. */
export function relationPut(caller: GuestCaller, at: string) {
  const item: RelationItem = {
    tenant: caller.tenant, guest: caller.guest, partnerId: caller.partnerId!, clientId: caller.clientId,
    ...(caller.clientId ? { apps: [caller.clientId] } : {}), since: at,
  };
  return {
    Put: {
      TableName: mainTable(),
      // Indexed for the partner's CRM listing of its guests (decision 0412).
      Item: { ...relationKey(caller.tenant, caller.guest, caller.partnerId!), ...relationIndexKeys(caller.tenant, caller.partnerId!, caller.guest), entityType: ENTITY.relation, ...item },
      // Never overwrite an active relation (its `since` stays the first sign-in).
      ConditionExpression: 'attribute_not_exists(PK) OR attribute_exists(endedAt)',
    },
  } satisfies TransactItem;
}

/** Adds the caller's app to an active relation (the first call through another app of the same partner). */
export function relationAppAdd(caller: GuestCaller) {
  return {
    Update: {
      TableName: mainTable(),
      Key: relationKey(caller.tenant, caller.guest, caller.partnerId!),
      UpdateExpression: 'SET apps = list_append(if_not_exists(apps, :none), :app)',
      // Only to a relation that exists and is still active, and only once per app.
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(endedAt) AND NOT contains(apps, :client)',
      ExpressionAttributeValues: { ':none': [], ':app': [caller.clientId!], ':client': caller.clientId! },
    },
  } satisfies TransactItem;
}

/** What this call writes to the relation (in a write's transaction, or on its own for a read), if anything. */
export function relationWrite(context: OperationContext, at = new Date().toISOString()): TransactItem | undefined {
  if (context.recordRelation) return relationPut(context.caller, at);
  if (context.recordApp) return relationAppAdd(context.caller);
  return undefined;
}

/** Writes in a transaction of their own carry the relation along; reads record it here, once. */
export async function recordRelationIfNew(context: OperationContext): Promise<void> {
  const write = relationWrite(context);
  if (!write) return;
  try {
    if (write.Put) await putRow(write.Put);
    else await updateRow(write.Update!);
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error; // recorded concurrently
  }
}
