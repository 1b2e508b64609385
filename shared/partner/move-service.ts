import { config } from '../platform/config.js';
import { ConditionFailed, isConditionalCheckFailed, transact, updateRow } from '../platform/table/index.js';
import { DomainError, invalid } from '../platform/errors.js';
import { loadAccess, type PartnerView } from './access.js';
import type { CallerRef } from './caller.js';
import { partnerEvent } from './events.js';
import { moveRefusal } from './move-rules.js';
import { childrenIndexKeys, partnerKey } from './keys.js';
import type { PartnerRecord } from './model.js';
import { queryChildren } from './store.js';
import { MAX_DEPTH } from './visibility.js';
import { conditionFailedIn, externeIdTaken } from './partner-service.js';
import { ancestryUnchanged, externeIdClaimChanges, parentUnmoved, rewritePath } from './write-items.js';

/**
 * Moving a partner (beyond the spec): the caller needs the Einstellungsrecht on the partner, on its
 * current parent and on the new parent, and may not move itself or one of its ancestors
 * (`move-rules.ts`). The moved partner's own row changes atomically, which is all visibility needs at
 * once (readers correct a stale descendant path from the ancestors' rows); the descendants' stored
 * paths are then rewritten, each only if still as read. The transaction also checks that the new
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
  if (refusal) throw new DomainError(refusal.kind, refusal.message, refusal.code);
  const fromParentId = moving.path[moving.path.length - 1];
  if (fromParentId === newParentId) return moving;

  const descendants = await subtree(caller.tenant, partnerId);
  const newPath = [...parent.path, newParentId];
  const rebase = (path: readonly string[]) => [...newPath, ...path.slice(moving.path.length)];
  const deepest = Math.max(newPath.length, ...descendants.map((d) => rebase(d.path).length));
  if (deepest > MAX_DEPTH) throw invalid(`The hierarchy is limited to ${MAX_DEPTH} levels`, 'HierarchyTooDeep');

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
          UpdateExpression: 'SET parentId = :p, #path = :path, GSI1PK = :g1pk, GSI1SK = :g1sk, version = :nv, updatedAt = :u',
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
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed && conditionFailedIn(error, 1 + checks.length, claims.length) && !conditionFailedIn(error, 0, 1 + checks.length)) {
      throw externeIdTaken(external);
    }
    if (error instanceof ConditionFailed) throw new DomainError('Conflict', 'The partner or its new parent changed meanwhile; retry', 'MoveConflict');
    throw error;
  }
  await rewritePaths(caller.tenant, descendants, rebase);
  const record: PartnerRecord = { ...before, parentId: newParentId, path: newPath, version: before.version + 1, updatedAt: now };
  return { record, path: newPath, gesperrt: record.locked || parent.gesperrt };
}

/** Every partner below `rootId`, level by level over the children index. */
async function subtree(tenant: string, rootId: string): Promise<PartnerRecord[]> {
  const all: PartnerRecord[] = [];
  let level = [rootId];
  while (level.length > 0) {
    const children = (await Promise.all(level.map((id) => queryChildren(tenant, id)))).flat();
    all.push(...children);
    level = children.map((c) => c.partnerId);
  }
  return all;
}

const PARALLEL_WRITES = 16;

async function rewritePaths(tenant: string, descendants: PartnerRecord[], rebase: (path: readonly string[]) => string[]) {
  for (let i = 0; i < descendants.length; i += PARALLEL_WRITES) {
    await Promise.all(
      descendants.slice(i, i + PARALLEL_WRITES).map(async (d) => {
        try {
          await updateRow(rewritePath(tenant, d.partnerId, d.path, rebase(d.path)));
        } catch (error) {
          // Moved again meanwhile: the later move rewrites it.
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }),
    );
  }
}
