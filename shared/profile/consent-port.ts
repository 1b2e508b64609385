/**
 * Everything the profile context needs from the consent context, in one place (docs/profile.md,
 * "What profile needs from consent"). Profile reads consent's rows in the same BatchGetItem as its own
 * item, so reading one object stays one DynamoDB read; this module names those rows and turns them
 * into a key or a clear error. It only reads: consent owns every write to its items and keys.
 */
import {
  type ConsentRows,
  consentRowKeys,
  lostGrant,
  pickConsentRows,
  requireCurrentGrant,
  requireUsableSchemaRow,
} from '../consent/consent-rows.js';
import { requireValidUserId } from '../consent/access.js';
import { type GrantedKey, grantedKeyFromRows, keyForGrantFromRows, keyForSealedFromRows } from '../consent/data-keys.js';
import { deleteUserReference } from '../consent/deletion.js';
import { historyPage } from '../consent/history-view.js';
import type { ConsentItem, ReferenceItem, SchemaItem } from '../consent/model.js';
import { getUserClaim, loadReferencePartition } from '../consent/store.js';
import { referenceKey } from '../consent/keys.js';
import { profileErrors } from './errors.js';
import { readRows } from './store.js';

export type { ConsentItem, ConsentRows, GrantedKey, ReferenceItem, SchemaItem };
export { consentRowKeys, pickConsentRows };

/**
 * Consent's rule for user ids (a guest's `sub` becomes the user claim's key, and profile's partition and
 * sort keys): 1 to 256 characters, else 400 `InvalidUserId`. At most 768 bytes in UTF-8, so every profile
 * key holding it (`T#<tenant>#GUEST#<sub>`, `IMPORT#<sub>`) stays far below DynamoDB's key limits.
 */
export const requireValidGuestId = (sub: string): void => requireValidUserId(sub, "The token's sub");

/** The signed-in user's reference in the tenant (consent's user claim): one strongly consistent read. */
export const userReference = (tenant: string, user: string): Promise<string | undefined> => getUserClaim(tenant, user);

/**
 * Whether the reference read as `leader` really leads the user's claimed reference `claim`: it exists,
 * is not itself an alias, and is the claim or has it among its aliases. Otherwise `follow` says where to
 * look next (the leader of an alias), or nothing when the reference is gone and the claim must be re-read.
 * (Profile remembers the claim per container; this re-validates that memory, it is not a consent rule.)
 */
export function checkLeader(rows: ConsentRows, claim: string, leader: string): { ok: true } | { ok: false; follow?: string } {
  const reference = rows.reference;
  if (!reference) return { ok: false };
  if (reference.leader) return { ok: false, follow: reference.leader };
  if (leader === claim || reference.aliases?.includes(claim)) return { ok: true };
  return { ok: false };
}

/** Consent's rule: pending (409 + Retry-After), blocked (423), removed or tenant-owned schemas (404) stop every read and write. */
export function requireUsable(rows: ConsentRows, ref: string, entityType: string): void {
  requireUsableSchemaRow(rows, ref, entityType);
}

/** Consent's rule: the grant blob new data is written under now, or 403 ConsentNotGranted. */
export const currentGrant = (rows: ConsentRows, ref: string, entityType: string): string => requireCurrentGrant(rows, ref, entityType);

/** Consent's verdict on data sealed under `grantBlob`, in profile's words: 410 `ConsentRevoked` or `KeyDestroyed`. */
export function unreadableReason(rows: ConsentRows, grantBlob: string): 'ConsentRevoked' | 'KeyDestroyed' | undefined {
  const lost = lostGrant(rows, grantBlob);
  return lost === 'revoked' ? 'ConsentRevoked' : lost === 'destroyed' ? 'KeyDestroyed' : undefined;
}

/** The key new data of `entityType` is sealed with (consent's rules; no KMS call with a warm cache). Caller disposes it. */
export const keyForWriting = (tenant: string, rows: ConsentRows, ref: string, entityType: string): Promise<GrantedKey> =>
  grantedKeyFromRows(tenant, rows, ref, entityType);

/**
 * The key of data sealed under `grantBlob`, or 410 with profile's reason when that grant is gone. Caller disposes it.
 * `sealedUnder`: the reference the data was sealed under; when it is not the leader `ref` (an alias's data from
 * before a merge), consent opens it with the alias's own key while the merged profile grants the schema
 * (decision 0204), else 410 `ConsentKeyDestroyed` naming what happened (never a revoke that did not happen).
 */
export async function keyForReading(tenant: string, rows: ConsentRows, ref: string, entityType: string, grantBlob: string, sealedUnder = ref): Promise<GrantedKey> {
  requireUsable(rows, ref, entityType);
  if (sealedUnder !== ref) return keyForSealedFromRows(tenant, rows, ref, entityType, { consentReference: sealedUnder, grantBlob });
  const reason = unreadableReason(rows, grantBlob);
  if (reason) throw profileErrors.unreadable(entityType, reason);
  return keyForGrantFromRows(tenant, rows, ref, entityType, grantBlob);
}

/**
 * The guest's consents and the head of their history, for the export's first page (reads only; the guest
 * is the owner). The history itself is paged (`historyPage`, consent's reader of one verified page).
 */
export async function consentSummary(tenant: string, ref: string) {
  const own = await loadReferencePartition(tenant, ref);
  if (!own.reference) return undefined;
  // A merged-in reference is governed by its leader's consents (decision 0204), as the consent API shows.
  const governing = own.reference.leader ? await loadReferencePartition(tenant, own.reference.leader) : own;
  const leader = governing.reference ?? own.reference;
  return {
    head: { ref, historySeq: own.reference.historySeq, historyHash: own.reference.historyHash },
    view: {
      consentReference: ref,
      leadingConsentReference: leader.ref,
      status: leader.status,
      blocked: leader.blocked,
      aliases: leader.aliases ?? [],
      consents: governing.consents.map((c) => ({ schema: c.schema, consentClass: c.consentClass, granted: c.granted, updatedAt: c.updatedAt })),
      historyLength: own.reference.historySeq,
    },
  };
}

/** One verified page of a reference's history (consent's paging; `next` continues). */
export { historyPage };

/** Erasure: consent's deletion of the guest's own reference (every consent and key: crypto-shredding). */
export { deleteUserReference };

/** The signed-in user a consent reference belongs to (absent: anonymous or gone); one strongly consistent read. */
export async function referenceUser(tenant: string, ref: string): Promise<string | undefined> {
  const key = referenceKey(tenant, ref);
  const row = (await readRows([key])).main(key) as ReferenceItem | undefined;
  return row?.user;
}
