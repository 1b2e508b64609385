import { config } from '../platform/config.js';
import { forgetDataKey } from '../platform/envelope.js';
import { type Addressed, type Caller, requireConsentCaller, requireDelete } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { actorOf } from './grants.js';
import { type HistoryActor, nextEntry } from './history.js';
import { referenceKey, SYSTEM_REF, TENANT_REF, userClaimKey } from './keys.js';
import type { ReferenceItem } from './model.js';
import { requireUnblocked, resolveReference } from './resolve.js';
import { deleteAll, getUserClaim, loadKeyPartition, loadReferencePartition } from './store.js';
import { ConditionFailed, transactWrite, type TransactWriteItem } from './transact.js';
import { consentKey } from './keys.js';
import { putHistoryEntry } from './writes.js';

const reserved = (ref: string) => ref === TENANT_REF || ref === SYSTEM_REF;

/**
 * `DELETE /{tenant}/consents/{ref}`: removes the reference (through an alias: the merged whole, leader
 * and aliases), all its consents and all its keys, and emits `ConsentReferenceDeleted`. Keys go first,
 * so even an interrupted deletion has already made the data unreadable. A blocked reference is kept.
 */
export async function deleteReference(tenant: string, ref: string, caller: Caller): Promise<{ leadingConsentReference: string }> {
  requireConsentCaller(caller, tenant);
  if (reserved(ref)) throw consentErrors.reservedReference(ref);
  const target = await resolveReference(tenant, ref);
  requireDelete(caller, target);
  return deleteTarget(tenant, target, ref, actorOf(caller));
}

/**
 * The data owner's erasure (profile's `DELETE /me`): the signed-in user's own reference — through a merge,
 * the merged whole — with every consent and key, as `deleteReference` does for its owner. No consent
 * scope is involved: the user acts on their own data. Undefined when the user has no reference.
 */
export async function deleteUserReference(tenant: string, user: string): Promise<{ leadingConsentReference: string } | undefined> {
  const ref = await getUserClaim(tenant, user);
  if (!ref) return undefined;
  return deleteTarget(tenant, await resolveReference(tenant, ref), ref, { kind: 'guest', sub: user });
}

async function deleteTarget(tenant: string, target: Addressed, ref: string, actor: HistoryActor): Promise<{ leadingConsentReference: string }> {
  const leader = target.leader;
  if (reserved(leader.ref)) throw consentErrors.reservedReference(leader.ref);
  requireUnblocked(target);
  const refs = [leader.ref, ...(leader.aliases ?? [])];
  for (const each of refs) {
    const keys = await loadKeyPartition(tenant, each);
    await deleteAll('keys', keys);
    for (const key of keys) if (key.wrapped && key.SK === 'DATAKEY') forgetDataKey(key.wrapped);
  }
  const partitions = await Promise.all(refs.map((each) => loadReferencePartition(tenant, each)));
  const users = [...new Set(partitions.flatMap(({ reference }) => (reference?.user ? [reference.user] : [])))];
  const at = new Date().toISOString();
  const entry = nextEntry({ seq: leader.historySeq, hash: leader.historyHash }, {
    at, actor, action: 'deleted', changes: [], references: leader.aliases ?? [],
  });
  const head: TransactWriteItem[] = [
    guardedDelete(leader),
    putHistoryEntry(tenant, leader.ref, entry),
    consentEvent('ConsentReferenceDeleted', tenant, { id: leader.ref, consentReference: leader.ref, aliases: [...(leader.aliases ?? [])], users }),
  ];
  const tail: TransactWriteItem[] = [];
  for (const { reference, consents } of partitions) {
    if (!reference) continue;
    if (reference.ref !== leader.ref) tail.push({ Delete: { TableName: config().tableName, Key: referenceKey(tenant, reference.ref) } });
    if (reference.user) tail.push({ Delete: { TableName: config().tableName, Key: userClaimKey(tenant, reference.user) } });
    for (const consent of consents) tail.push({ Delete: { TableName: config().tableName, Key: consentKey(tenant, reference.ref, consent.schema) } });
  }
  try {
    await transactWrite(head, tail);
  } catch (error) {
    if (error instanceof ConditionFailed) throw consentErrors.concurrentChange(ref);
    throw error;
  }
  await sweepLateRows(tenant, refs);
  return { leadingConsentReference: leader.ref };
}

function guardedDelete(reference: ReferenceItem): TransactWriteItem {
  return {
    Delete: {
      TableName: config().tableName,
      Key: referenceKey(reference.tenant, reference.ref),
      ConditionExpression: 'historySeq = :expected',
      ExpressionAttributeValues: { ':expected': reference.historySeq },
    },
  };
}

/**
 * A metamodel fan-out that committed between our read of the partitions and the deletion may have added
 * a consent row we did not see; its writes need the reference to exist, so after the deletion none can
 * come, and one more read finds every such row.
 */
async function sweepLateRows(tenant: string, refs: readonly string[]): Promise<void> {
  for (const ref of refs) {
    const { consents } = await loadReferencePartition(tenant, ref);
    await deleteAll('main', consents.map((consent) => consentKey(tenant, ref, consent.schema)));
  }
}
