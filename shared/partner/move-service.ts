import { config } from '../platform/config.js';
import { randomUUID } from 'node:crypto';
import { continuationPut } from '../platform/continuation.js';
import { ConditionFailed, transact } from '../platform/table/index.js';
import { invalid } from '../platform/errors.js';
import { partnerErrors } from './errors.js';
import { loadAccess, type PartnerView } from './access.js';
import type { CallerRef } from './caller.js';
import { partnerEvent, partnerEvents } from './events.js';
import { moveRefusal } from './move-rules.js';
import { childrenIndexKeys, partnerKey } from './keys.js';
import type { PartnerRecord } from './model.js';
import { queryChildren } from './store.js';
import { MAX_DEPTH } from './visibility.js';
import { conditionFailedIn } from './partner-service.js';
import { ancestryUnchanged, externeIdClaimChanges, parentUnmoved } from './write-items.js';

/**
 * Moving a partner (beyond the spec): the caller needs the Einstellungsrecht on the partner, on its
 * current parent and on the new parent, and may not move itself or one of its ancestors
 * (`move-rules.ts`). The moved partner's own row changes atomically, which is all visibility needs at
 * once (readers correct a stale descendant path from the ancestors' rows, decision 0101); the same
 * transaction records the move's id on it and puts the first `PartnerPathRewriteContinued`, so the
 * descendants' stored paths are rewritten afterwards by a chain of bounded pages (decision 0208) and
 * the request answers at once whatever the subtree size. The transaction also checks that the new
 * parent and all its ancestors are still where they were read, so concurrent moves cannot close a cycle.
 */
export async function movePartner(caller: CallerRef, partnerId: string, newParentId: string): Promise<PartnerView> {
  const view = await loadAccess({ tenant: caller.tenant, callerId: caller.partnerId, targetIds: [partnerId, newParentId] });
  const moving = view.visible(partnerId);
  const parent = view.visible(newParentId);
  const before = moving.record;
  const refusal = moveRefusal({
    callerId: caller.partnerId,
    callerPath: view.caller.path,
    partnerId,
    partnerPath: moving.path,
    newParentId,
    newParentPath: parent.path,
    managesCurrentParent: view.canManageParentOf(partnerId),
  });
  if (refusal) throw partnerErrors.moveRefused(refusal);
  const fromParentId = moving.path[moving.path.length - 1];
  if (fromParentId === newParentId) return moving;

  const newPath = [...parent.path, newParentId];
  // Only a move that deepens the subtree can break the depth limit: then its levels are probed (reads only).
  if (newPath.length > MAX_DEPTH || (newPath.length > moving.path.length && (await deeperThan(caller.tenant, partnerId, MAX_DEPTH - newPath.length)))) {
    throw invalid(`The hierarchy is limited to ${MAX_DEPTH} levels`, 'HierarchyTooDeep');
  }
  const moveId = randomUUID();

  const now = new Date().toISOString();
  const index = childrenIndexKeys(caller.tenant, newParentId, partnerId);
  // The external id is unique among the children of a parent: its claim moves along (decision 0021).
  const external = before.attributes.externePartnerId;
  const claims = externeIdClaimChanges(
    caller.tenant,
    partnerId,
    { parentId: fromParentId, externePartnerId: external },
    { parentId: newParentId, externePartnerId: external },
  );
  const checks = [parentUnmoved(caller.tenant, parent.record), ...ancestryUnchanged(caller.tenant, parent.path)];
  try {
    await transact([
      {
        Update: {
          TableName: config().tableName,
          Key: { ...partnerKey(caller.tenant, partnerId) },
          UpdateExpression: 'SET parentId = :p, #path = :path, GSI1PK = :g1pk, GSI1SK = :g1sk, version = :nv, updatedAt = :u, moveId = :m',
          ConditionExpression: 'version = :v',
          ExpressionAttributeNames: { '#path': 'path' },
          ExpressionAttributeValues: {
            ':p': newParentId,
            ':path': newPath,
            ':g1pk': index.GSI1PK,
            ':g1sk': index.GSI1SK,
            ':nv': before.version + 1,
            ':v': before.version,
            ':u': now,
            ':m': moveId,
          },
        },
      },
      ...checks,
      ...claims,
      partnerEvent('PartnerMoved', {
        tenant: caller.tenant,
        partnerId,
        fromParentId,
        toParentId: newParentId,
        movedBy: caller.partnerId,
      }),
      continuationPut(partnerEvents.PartnerPathRewriteContinued, { tenant: caller.tenant, partnerId, moveId }, [caller.tenant, moveId, 'first']),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed && conditionFailedIn(error, 1 + checks.length, claims.length) && !conditionFailedIn(error, 0, 1 + checks.length)) {
      throw partnerErrors.externeIdTaken(external);
    }
    if (error instanceof ConditionFailed) throw partnerErrors.moveConflict();
    throw error;
  }
  const record: PartnerRecord = { ...before, parentId: newParentId, path: newPath, version: before.version + 1, updatedAt: now };
  return { record, path: newPath, gesperrt: record.locked || parent.gesperrt };
}

/**
 * Does the subtree below `rootId` reach more than `levels` levels down? Walks the children index level
 * by level and stops at the first empty level or at level `levels + 1`.
 */
async function deeperThan(tenant: string, rootId: string, levels: number): Promise<boolean> {
  let level = [rootId];
  for (let depth = 1; level.length > 0; depth++) {
    const children = (await Promise.all(level.map((id) => queryChildren(tenant, id)))).flat();
    if (children.length > 0 && depth > levels) return true;
    level = children.map((c) => c.partnerId);
  }
  return false;
}
