import { type Caller, requireConsentCaller, requireView } from './access.js';
import { type HistoryEntry, type Verification, verifyChain } from './history.js';
import { resolveReference } from './resolve.js';
import { loadHistory } from './store.js';

export interface HistoryView {
  readonly leadingConsentReference: string;
  readonly verification: Verification;
  readonly entries: HistoryEntry[];
}

/** `GET /{tenant}/consents/{ref}/history`: the leader's chain, checked against the head it recorded. */
export async function readHistory(tenant: string, ref: string, caller: Caller): Promise<HistoryView> {
  requireConsentCaller(caller, tenant);
  const target = await resolveReference(tenant, ref);
  requireView(caller, target);
  const { leader } = target;
  const stored = await loadHistory(tenant, leader.ref);
  const entries = stored.map((e) => ({
    seq: e.seq, at: e.at, actor: e.actor, action: e.action, changes: e.changes,
    ...(e.references ? { references: e.references } : {}), prevHash: e.prevHash, hash: e.hash,
  }));
  return {
    leadingConsentReference: leader.ref,
    verification: verifyChain(entries, { seq: leader.historySeq, hash: leader.historyHash }),
    entries,
  };
}
