import { forbidden } from '../platform/errors.js';
import { authorize, type Caller } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { actorOf } from './grants.js';
import { nextEntry } from './history.js';
import { SYSTEM_REF, TENANT_REF } from './keys.js';
import { resolveReference } from './resolve.js';
import { transactChunked, untilWon } from '../platform/table/index.js';
import { type ReferenceView, referenceView } from './views.js';
import { advanceHead, putHistoryEntry } from './writes.js';

/**
 * `PUT /{tenant}/consentReferences/{ref}/block`: while blocked, no data of the reference can be read
 * or written and its consents cannot change; unblocking restores everything. Nothing is deleted.
 * Through an alias, the leader (and so the whole merged reference) is blocked.
 */
export async function setBlocked(tenant: string, ref: string, blocked: boolean, caller: Caller): Promise<ReferenceView> {
  authorize(caller, tenant, { to: 'administer' });
  return untilWon(async () => {
    const target = await resolveReference(tenant, ref);
    const leader = target.leader;
    if (leader.ref === TENANT_REF || leader.ref === SYSTEM_REF) throw forbidden(`The ${leader.ref} reference cannot be blocked`, 'ReservedConsentReference');
    if (leader.blocked === blocked) return referenceView(target.addressed, leader);
    const entry = nextEntry({ seq: leader.historySeq, hash: leader.historyHash }, {
      at: new Date().toISOString(), actor: actorOf(caller), action: blocked ? 'blocked' : 'unblocked', changes: [],
    });
    await transactChunked([
      advanceHead(leader, entry, { blocked }),
      putHistoryEntry(tenant, leader.ref, entry),
      consentEvent(blocked ? 'ConsentReferenceBlocked' : 'ConsentReferenceUnblocked', tenant, { consentReference: leader.ref, historyHash: entry.hash }),
    ]);
    return referenceView(target.addressed, { ...leader, blocked });
  }, () => consentErrors.concurrentChange(ref));
}
