import { config } from '../platform/config.js';
import { forgetDataKey } from '../platform/envelope.js';
import { type Addressed, authorize, type Caller } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { actorOf } from './grants.js';
import { type HistoryActor, nextEntry } from './history.js';
import { type ItemKey, referenceDataKeyKey, referenceKey, SYSTEM_REF, TENANT_REF, userClaimKey } from './keys.js';
import type { ReferenceItem } from './model.js';
import { requireUnblocked, resolveReference } from './resolve.js';
import { deleteAll, getUserClaim, loadKeyPartition, loadReferencePartition } from './store.js';
import { ConditionFailed, MAX_TRANSACTION_ITEMS, type TransactItem, transactChunked } from '../platform/table/index.js';
import { consentKey } from './keys.js';
import { advanceHead, putHistoryEntry } from './writes.js';

const reserved = (ref: string) => ref === TENANT_REF || ref === SYSTEM_REF;
const DATA_KEY_SK = referenceDataKeyKey('-', '-').SK;

/**
 * `DELETE /{tenant}/consents/{ref}`: removes the reference with all its consents and keys, and emits
 * `ConsentReferenceDeleted`. Addressed at a leader: the merged whole (leader and aliases). Addressed at
 * an alias: only the alias, detached from its leader — so the owner of a merged-in reference can never
 * delete the leading user's data (`requireDelete`). One transaction guarded by the history head deletes
 * the reference(s), the user claims and the data keys (crypto-shredding: the schema keys are wrapped under
 * them), the history entry and the event; a change that commits first makes it answer 409 and delete
 * nothing. A blocked reference is kept.
 */
export async function deleteReference(tenant: string, ref: string, caller: Caller): Promise<{ leadingConsentReference: string }> {
  authorize(caller, tenant, { to: 'call' });
  if (reserved(ref)) throw consentErrors.reservedReference(ref);
  const target = await resolveReference(tenant, ref);
  authorize(caller, tenant, { to: 'delete', target });
  return deleteTarget(tenant, target, ref, actorOf(caller));
}

/**
 * The data owner's erasure (profile's `DELETE /me`): the signed-in user's own reference with every consent
 * and key, as `deleteReference` does for its owner: a leader with its merged aliases, an alias alone. No
 * consent scope is involved: the user acts on their own data. Undefined when the user has no reference.
 */
export async function deleteUserReference(tenant: string, user: string): Promise<{ leadingConsentReference: string } | undefined> {
  const ref = await getUserClaim(tenant, user);
  if (!ref) return undefined;
  return deleteTarget(tenant, await resolveReference(tenant, ref), ref, { kind: 'guest', sub: user });
}

async function deleteTarget(tenant: string, target: Addressed, ref: string, actor: HistoryActor): Promise<{ leadingConsentReference: string }> {
  const { addressed, leader } = target;
  if (reserved(leader.ref)) throw consentErrors.reservedReference(leader.ref);
  requireUnblocked(target);
  const at = new Date().toISOString();
  const head = { seq: leader.historySeq, hash: leader.historyHash };
  if (addressed.ref !== leader.ref) {
    // An alias: it alone goes; the leader forgets it (its head is the lock, its history records it).
    const entry = nextEntry(head, { at, actor, action: 'detached', changes: [], references: [addressed.ref] });
    await removeReferences(tenant, ref, [addressed.ref], (users, revokedConsents) => [
      guardedDelete(addressed, leader.ref),
      advanceHead(leader, entry, { aliases: (leader.aliases ?? []).filter((alias) => alias !== addressed.ref) }),
      putHistoryEntry(tenant, leader.ref, entry),
      consentEvent('ConsentReferenceDeleted', tenant, { id: addressed.ref, consentReference: addressed.ref, aliases: [], users, revokedConsents }),
    ]);
    return { leadingConsentReference: leader.ref };
  }
  const aliases = [...(leader.aliases ?? [])];
  const entry = nextEntry(head, { at, actor, action: 'deleted', changes: [], references: aliases });
  await removeReferences(tenant, ref, [leader.ref, ...aliases], (users, revokedConsents) => [
    guardedDelete(leader),
    putHistoryEntry(tenant, leader.ref, entry),
    consentEvent('ConsentReferenceDeleted', tenant, { id: leader.ref, consentReference: leader.ref, aliases, users, revokedConsents }),
  ]);
  return { leadingConsentReference: leader.ref };
}

/**
 * Deletes `refs` with their claims, consents and keys. `guard(users, revokedConsents)` makes the guarded
 * part (it deletes `refs[0]`'s reference item itself, conditionally) with the history entry and the event;
 * `revokedConsents` are the schemas granted on any of `refs` (the seed's DELETE event lists them).
 */
async function removeReferences(
  tenant: string,
  addressed: string,
  refs: readonly string[],
  guard: (users: string[], revokedConsents: string[]) => TransactItem[],
): Promise<void> {
  const [partitions, keyPartitions] = await Promise.all([
    Promise.all(refs.map((each) => loadReferencePartition(tenant, each))),
    Promise.all(refs.map((each) => loadKeyPartition(tenant, each))),
  ]);
  const users = [...new Set(partitions.flatMap(({ reference }) => (reference?.user ? [reference.user] : [])))];
  const keyRows = keyPartitions.flat();
  // In order of importance: the guard (with history and event), the data keys (crypto-shredding: every
  // schema key is wrapped under one), the other references and user claims, then consent rows and schema keys.
  const table = { main: config().tableName, keys: config().keyTableName };
  const deletes: Array<{ table: 'main' | 'keys'; key: ItemKey }> = [];
  for (const row of keyRows) if (row.SK === DATA_KEY_SK) deletes.push({ table: 'keys', key: { PK: row.PK, SK: row.SK } });
  for (const { reference } of partitions) {
    if (reference && reference.ref !== refs[0]) deletes.push({ table: 'main', key: referenceKey(tenant, reference.ref) });
    if (reference?.user) deletes.push({ table: 'main', key: userClaimKey(tenant, reference.user) });
  }
  for (const { reference, consents } of partitions) {
    if (reference) for (const consent of consents) deletes.push({ table: 'main', key: consentKey(tenant, reference.ref, consent.schema) });
  }
  for (const row of keyRows) if (row.SK !== DATA_KEY_SK) deletes.push({ table: 'keys', key: { PK: row.PK, SK: row.SK } });
  const revokedConsents = [...new Set(partitions.flatMap(({ consents }) => consents.filter((c) => c.granted).map((c) => c.schema)))].sort();
  const guarded = guard(users, revokedConsents);
  const inTransaction = MAX_TRANSACTION_ITEMS - guarded.length;
  try {
    // Everything in one transaction when it fits; else as much as fits (the data keys first), the rest
    // (unusable without the reference and its data key) right after.
    await transactChunked([...guarded, ...deletes.slice(0, inTransaction).map(({ table: t, key }) => ({ Delete: { TableName: table[t], Key: key } }))]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw consentErrors.concurrentChange(addressed);
    throw error;
  }
  const later = deletes.slice(inTransaction);
  await deleteAll('main', later.filter((d) => d.table === 'main').map((d) => d.key));
  await deleteAll('keys', later.filter((d) => d.table === 'keys').map((d) => d.key));
  for (const row of keyRows) if (row.wrapped && row.SK === DATA_KEY_SK) forgetDataKey(row.wrapped);
  await sweep(tenant, refs);
}

/** The reference as read is deleted, or nothing (an alias: only while it still follows `leader`). */
function guardedDelete(reference: ReferenceItem, leader?: string): TransactItem {
  return {
    Delete: {
      TableName: config().tableName,
      Key: referenceKey(reference.tenant, reference.ref),
      ConditionExpression: leader ? 'historySeq = :expected AND #leader = :leader' : 'historySeq = :expected',
      ...(leader ? { ExpressionAttributeNames: { '#leader': 'leader' } } : {}),
      ExpressionAttributeValues: { ':expected': reference.historySeq, ...(leader ? { ':leader': leader } : {}) },
    },
  };
}

/**
 * What is left after the guarded deletion: consent rows and schema keys it did not delete itself (past the
 * transaction limit), a row a metamodel fan-out added, or a schema key a chunked grant wrote between our
 * read and our commit. Both need the reference (and its data key) to exist, so after the deletion none can
 * come, and one more strongly consistent read of both partitions finds every such item.
 */
async function sweep(tenant: string, refs: readonly string[]): Promise<void> {
  for (const ref of refs) {
    const [{ consents }, keys] = await Promise.all([loadReferencePartition(tenant, ref), loadKeyPartition(tenant, ref)]);
    await deleteAll('main', consents.map((consent) => consentKey(tenant, ref, consent.schema)));
    await deleteAll('keys', keys);
  }
}
