import type { ConsentItem } from './model.js';

/**
 * Consent changes too large for one transaction (decision 0207): the rows are written first as *staged*
 * values beside the committed ones (`stagedHash` = the history entry's hash, `stagedGranted`,
 * `stagedBlob`, `stagedAt`), then the guarded head commits and adds that hash to the reference's
 * `unsettled` set, then the rows are settled (staged values made the committed ones) and the hash removed.
 * A staged value counts exactly when its hash is in the reference's `unsettled` set — i.e. the head
 * committed it — so a reader sees the whole change or none of it, whatever chunk a failure stopped at.
 */
export interface StagedFields {
  readonly stagedHash?: string;
  readonly stagedGranted?: boolean;
  readonly stagedBlob?: string | null;
  readonly stagedAt?: string;
}

export const STAGED_ATTRIBUTES = ['stagedHash', 'stagedGranted', 'stagedBlob', 'stagedAt'] as const;

/** The reference's committed-but-not-yet-settled changes (a string set, absent when empty). */
export function unsettledHashes(reference: object | undefined): ReadonlySet<string> {
  const value = (reference as { unsettled?: unknown } | undefined)?.unsettled;
  if (value instanceof Set) return value as ReadonlySet<string>;
  if (Array.isArray(value)) return new Set(value.map(String));
  return new Set();
}

/**
 * Committed: in the `unsettled` set, or the head itself (a reader whose Query read the row before its
 * settling and the reference after the hash was forgotten still counts it).
 */
export function isCommitted(hash: string, reference: object | undefined): boolean {
  return unsettledHashes(reference).has(hash) || (reference as { historyHash?: unknown } | undefined)?.historyHash === hash;
}

/**
 * The consent as it is: the staged values when the head committed them, else the committed ones; the
 * staging attributes dropped either way (a staged change the head did not commit never happened).
 */
export function effectiveConsent<T extends ConsentItem>(row: T, reference: object | undefined): T {
  const { stagedHash, stagedGranted, stagedBlob, stagedAt, ...rest } = row as T & StagedFields;
  if (stagedHash === undefined || !isCommitted(stagedHash, reference)) return rest as T;
  return { ...rest, granted: stagedGranted === true, grantBlob: stagedBlob ?? null, updatedAt: stagedAt ?? row.updatedAt } as T;
}
