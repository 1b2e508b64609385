import { config } from '../platform/config.js';
import { authorize, type Caller } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { actorOf } from './grants.js';
import { nextEntry } from './history.js';
import { referenceKey, SYSTEM_REF, TENANT_REF } from './keys.js';
import type { ReferenceItem } from './model.js';
import { requireTenant } from './resolve.js';
import { getReference } from './store.js';
import { transactWrite, type TransactWriteItem, withRetries } from './transact.js';
import { type ReferenceView, referenceView } from './views.js';
import { advanceHead, putHistoryEntry } from './writes.js';

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
 * along, so alias chains never form. The leader's consents and keys govern; the aliases' own stay
 * stored, unused, until a revoke on the leader destroys them for its schemas (`grants.ts`) or they are
 * deleted.
 */
export async function mergeReferences(tenant: string, leading: string, aliases: readonly string[], caller: Caller): Promise<ReferenceView> {
  authorize(caller, tenant, { to: 'administer' });
  return withRetries(async () => {
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
    const entry = nextEntry({ seq: leader.historySeq, hash: leader.historyHash }, {
      at: new Date().toISOString(), actor: actorOf(caller), action: 'merged', changes: [], references: merged.map((m) => m.ref),
    });
    const writes: TransactWriteItem[] = [
      advanceHead(leader, entry, { aliases: all }),
      putHistoryEntry(tenant, leading, entry),
      consentEvent('ConsentReferencesMerged', tenant, { leadingConsentReference: leading, aliases: merged.map((m) => m.ref), historyHash: entry.hash }),
      ...merged.map((alias) => pointAt(alias, leading)),
    ];
    await transactWrite(writes);
    return referenceView({ ...leader, aliases: all }, { ...leader, aliases: all });
  }, () => consentErrors.concurrentChange(leading));
}

/** The alias now leads nowhere but to `leader`; conditional on nobody having changed or merged it meanwhile. */
function pointAt(alias: ReferenceItem, leader: string): TransactWriteItem {
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
