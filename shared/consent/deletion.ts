import { config } from '../platform/config.js';
import { forgetDataKey } from '../platform/envelope.js';
import { type Addressed, type Caller, requireConsentCaller, requireDelete } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { actorOf } from './grants.js';
import { type HistoryActor, nextEntry } from './history.js';
import { type ItemKey, referenceDataKeyKey, referenceKey, SYSTEM_REF, TENANT_REF, userClaimKey } from './keys.js';
import type { ReferenceItem } from './model.js';
import { requireUnblocked, resolveReference } from './resolve.js';
import { deleteAll, getUserClaim, loadKeyPartition, loadReferencePartition } from './store.js';
import { ConditionFailed, MAX_TRANSACTION_ITEMS, transactWrite, type TransactWriteItem } from './transact.js';
import { consentKey } from './keys.js';
import { putHistoryEntry } from './writes.js';

const reserved = (ref: string) => ref === TENANT_REF || ref === SYSTEM_REF;
const DATA_KEY_SK = referenceDataKeyKey('-', '-').SK;

/**
 * `DELETE /{tenant}/consents/{ref}`: removes the reference (through an alias: the merged whole, leader
 * and aliases), all its consents and all its keys, and emits `ConsentReferenceDeleted`. One transaction
 * guarded by the history head deletes the reference, its data keys (crypto-shredding: the schema keys are
 * wrapped under them), the history entry and the event; a change that commits first makes it answer 409
 * and delete nothing. A blocked reference is kept.
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
  const [partitions, keyPartitions] = await Promise.all([
    Promise.all(refs.map((each) => loadReferencePartition(tenant, each))),
    Promise.all(refs.map((each) => loadKeyPartition(tenant, each))),
  ]);
  const users = [...new Set(partitions.flatMap(({ reference }) => (reference?.user ? [reference.user] : [])))];
  const keyRows = keyPartitions.flat();
  const at = new Date().toISOString();
  const entry = nextEntry({ seq: leader.historySeq, hash: leader.historyHash }, {
    at, actor, action: 'deleted', changes: [], references: leader.aliases ?? [],
  });
  // In order of importance: the guard (with history and event), the data keys (crypto-shredding: every
  // schema key is wrapped under one), the aliases and user claims, then consent rows and schema keys.
  const table = { main: config().tableName, keys: config().keyTableName };
  const deletes: Array<{ table: 'main' | 'keys'; key: ItemKey }> = [];
  for (const row of keyRows) if (row.SK === DATA_KEY_SK) deletes.push({ table: 'keys', key: { PK: row.PK, SK: row.SK } });
  for (const { reference } of partitions) {
    if (reference && reference.ref !== leader.ref) deletes.push({ table: 'main', key: referenceKey(tenant, reference.ref) });
    if (reference?.user) deletes.push({ table: 'main', key: userClaimKey(tenant, reference.user) });
  }
  for (const { reference, consents } of partitions) {
    if (reference) for (const consent of consents) deletes.push({ table: 'main', key: consentKey(tenant, reference.ref, consent.schema) });
  }
  for (const row of keyRows) if (row.SK !== DATA_KEY_SK) deletes.push({ table: 'keys', key: { PK: row.PK, SK: row.SK } });
  const guarded: TransactWriteItem[] = [
    guardedDelete(leader),
    putHistoryEntry(tenant, leader.ref, entry),
    consentEvent('ConsentReferenceDeleted', tenant, { id: leader.ref, consentReference: leader.ref, aliases: [...(leader.aliases ?? [])], users }),
  ];
  const inTransaction = MAX_TRANSACTION_ITEMS - guarded.length;
  try {
    // Everything in one transaction when it fits; else as much as fits (the data keys first), the rest
    // (unusable without the reference and its data key) right after.
    await transactWrite([...guarded, ...deletes.slice(0, inTransaction).map(({ table: t, key }) => ({ Delete: { TableName: table[t], Key: key } }))]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw consentErrors.concurrentChange(ref);
    throw error;
  }
  const later = deletes.slice(inTransaction);
  await deleteAll('main', later.filter((d) => d.table === 'main').map((d) => d.key));
  await deleteAll('keys', later.filter((d) => d.table === 'keys').map((d) => d.key));
  for (const row of keyRows) if (row.wrapped && row.SK === DATA_KEY_SK) forgetDataKey(row.wrapped);
  await sweep(tenant, refs);
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
