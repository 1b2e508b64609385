import { config } from '../platform/config.js';
import { authorize, type Caller } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { actorOf } from './grants.js';
import { nextEntry } from './history.js';
import { consentKey, referenceKey, SYSTEM_REF, TENANT_REF } from './keys.js';
import type { ReferenceItem } from './model.js';
import { requireTenant } from './resolve.js';
import { existingSchemaKeys, getReference, loadReferencePartition } from './store.js';
import { type TransactItem, transactChunked, untilWon } from '../platform/table/index.js';
import { type ReferenceView, referenceView } from './views.js';
import { advanceHead, deleteSchemaKey, putHistoryEntry } from './writes.js';

const reserved = (ref: string) => ref === TENANT_REF || ref === SYSTEM_REF;

async function existing(tenant: string, ref: string): Promise<ReferenceItem> {
  const item = await getReference(tenant, ref);
  if (!item) {
    await requireTenant(tenant);
    throw consentErrors.referenceNotFound(ref);
  }
  if (reserved(ref)) throw consentErrors.reservedReference(ref);
  if (item.status !== 'active') throw consentErrors.referencePending(ref);
  return item;
}

/**
 * `POST /{tenant}/consentReferences/{leading}/aliases`: merges references into a leading one. Every
 * alias then acts as its leader for every operation. An alias of another leader is refused (409), an
 * alias of this leader is accepted again (idempotent), and a merged leader brings its own aliases
 * along, so alias chains never form.
 *
 * The merged profile keeps the **leader's** consent (decision 0204). Data an alias sealed before the merge
 * under a schema the leader grants stays readable (through the alias's own key, `data-keys.ts`) until a
 * revoke on the merged profile shreds it (`grants.ts`). What the leader does not grant is shredded in the
 * merge's own transaction: the aliases' keys of those schemas are deleted, their consent rows revoked
 * (marked `shreddedBy: merge`) and a `ConsentRevoked` with `mergedInto` announces it per alias.
 */
export async function mergeReferences(tenant: string, leading: string, aliases: readonly string[], caller: Caller): Promise<ReferenceView> {
  authorize(caller, tenant, { to: 'administer' });
  return untilWon(async () => {
    const leader = await existing(tenant, leading);
    if (leader.leader) throw consentErrors.alreadyMerged(leading, leader.leader);
    const merged: ReferenceItem[] = [];
    for (const ref of new Set(aliases)) {
      if (ref === leading) throw consentErrors.invalidMerge('A reference cannot be merged into itself');
      const alias = await existing(tenant, ref);
      if (alias.leader === leading) continue;
      if (alias.leader) throw consentErrors.alreadyMerged(ref, alias.leader);
      merged.push(alias);
      for (const sub of alias.aliases ?? []) {
        const item = await getReference(tenant, sub);
        if (item) merged.push(item);
      }
    }
    if (merged.length === 0) return referenceView(leader, leader);
    const all = [...(leader.aliases ?? []), ...merged.map((m) => m.ref)];
    const at = new Date().toISOString();
    const entry = nextEntry({ seq: leader.historySeq, hash: leader.historyHash }, {
      at, actor: actorOf(caller), action: 'merged', changes: [], references: merged.map((m) => m.ref),
    });
    const shredded = await notKept(tenant, leading, merged);
    const writes: TransactItem[] = [
      advanceHead(leader, entry, { aliases: all }),
      putHistoryEntry(tenant, leading, entry),
      consentEvent('ConsentReferencesMerged', tenant, { leadingConsentReference: leading, aliases: merged.map((m) => m.ref), historyHash: entry.hash }),
      ...merged.map((alias) => pointAt(alias, leading)),
      ...[...groupByRef(shredded)].map(([ref, schemas]) => consentEvent('ConsentRevoked', tenant, {
        id: ref, consentReference: ref, revokedConsents: schemas, historyHash: entry.hash, mergedInto: leading,
      })),
    ];
    const tail = shredded.flatMap(({ ref, schema }) => [shredAtMerge(tenant, ref, schema, leading, at), deleteSchemaKey(tenant, ref, schema)]);
    // Past the item limit the shredding goes first, each chunk only while the references are as read.
    await transactChunked(writes, tail, [...merged, leader].map(unchanged));
    return referenceView({ ...leader, aliases: all }, { ...leader, aliases: all });
  }, () => consentErrors.concurrentChange(leading));
}

/**
 * The (alias, schema) keys the merged profile does not keep: every key an alias still holds for a schema
 * the leader does not grant now (read strongly consistent; a grant racing the merge changes the leader's
 * head, which the merge's transaction is conditional on).
 */
async function notKept(tenant: string, leading: string, merged: readonly ReferenceItem[]): Promise<Array<{ ref: string; schema: string }>> {
  const leaderRows = await loadReferencePartition(tenant, leading);
  const kept = new Set(leaderRows.consents.filter((c) => c.granted && c.grantBlob).map((c) => c.schema));
  const found = await Promise.all(merged.map(async (alias) => {
    const { consents } = await loadReferencePartition(tenant, alias.ref);
    const schemas = consents.map((c) => c.schema).filter((schema) => !kept.has(schema));
    return schemas.length === 0 ? [] : existingSchemaKeys(tenant, [alias.ref], schemas);
  }));
  return found.flat();
}

function groupByRef(keys: ReadonlyArray<{ ref: string; schema: string }>): Map<string, string[]> {
  const byRef = new Map<string, string[]>();
  for (const { ref, schema } of keys) byRef.set(ref, [...(byRef.get(ref) ?? []), schema]);
  return byRef;
}

/** The alias's consent row agrees with its shredded key: revoked, and why (not a revoke: the merge). */
function shredAtMerge(tenant: string, ref: string, schema: string, leader: string, at: string): TransactItem {
  return {
    Update: {
      TableName: config().tableName,
      Key: consentKey(tenant, ref, schema),
      UpdateExpression: 'SET granted = :false, grantBlob = :null, updatedAt = :at, shreddedBy = :merge, mergedInto = :leader',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':false': false, ':null': null, ':at': at, ':merge': 'merge', ':leader': leader },
    },
  };
}

/** Guard of a chunk: the reference has the history head the merge was decided on. */
function unchanged(reference: ReferenceItem): TransactItem {
  return {
    ConditionCheck: {
      TableName: config().tableName,
      Key: referenceKey(reference.tenant, reference.ref),
      ConditionExpression: 'historySeq = :expected',
      ExpressionAttributeValues: { ':expected': reference.historySeq },
    },
  };
}

/** The alias now leads nowhere but to `leader`; conditional on nobody having changed or merged it meanwhile. */
function pointAt(alias: ReferenceItem, leader: string): TransactItem {
  return {
    Update: {
      TableName: config().tableName,
      Key: referenceKey(alias.tenant, alias.ref),
      UpdateExpression: 'SET #leader = :leader, aliases = :none, updatedAt = :at',
      ConditionExpression: 'historySeq = :seq AND (attribute_not_exists(#leader) OR #leader = :previous)',
      ExpressionAttributeNames: { '#leader': 'leader' },
      ExpressionAttributeValues: {
        ':leader': leader, ':none': [], ':at': new Date().toISOString(), ':seq': alias.historySeq, ':previous': alias.leader ?? leader,
      },
    },
  };
}
