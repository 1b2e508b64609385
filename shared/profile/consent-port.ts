/**
 * Everything the profile context needs from the consent context, in one place (docs/profile.md,
 * "What profile needs from consent"). Profile reads consent's rows in the same BatchGetItem as its own
 * item, so reading one object stays one DynamoDB read; this module names those rows and turns them
 * into a key or a clear error. It only reads: consent owns every write to its items and keys.
 */
import { consentKey, referenceDataKeyKey, referenceKey, schemaDataKeyKey, schemaKey } from '../consent/keys.js';
import { openReferenceDataKey, unwrapSchemaKey } from '../consent/key-material.js';
import type { ConsentItem, ReferenceItem, SchemaItem } from '../consent/model.js';
import { MANAGE } from '../consent/access.js';
import { deleteReference } from '../consent/deletion.js';
import { verifyChain } from '../consent/history.js';
import { getUserClaim, loadHistory, loadReferencePartition } from '../consent/store.js';
import type { Principal } from '../platform/principal.js';
import { consentErrors } from '../consent/errors.js';
import { profileErrors } from './errors.js';
import type { ItemKey } from './keys.js';

export type { ConsentItem, ReferenceItem, SchemaItem };

export interface ConsentRowKeys {
  readonly main: ItemKey[];
  readonly keys: ItemKey[];
}

/** The consent rows that decide whether (reference, schema) data may be read or written. */
export interface ConsentRows {
  readonly reference?: ReferenceItem;
  readonly consent?: ConsentItem;
  readonly schema?: SchemaItem;
  readonly dataKey?: { readonly wrapped: string };
  readonly schemaKey?: { readonly wrapped: string; readonly grantBlob: string };
}

export function consentRowKeys(tenant: string, ref: string, schema: string) {
  return {
    reference: referenceKey(tenant, ref),
    consent: consentKey(tenant, ref, schema),
    schema: schemaKey(tenant, schema),
    dataKey: referenceDataKeyKey(tenant, ref),
    schemaKey: schemaDataKeyKey(tenant, ref, schema),
  };
}

/** The signed-in user's reference in the tenant (consent's user claim): one strongly consistent read. */
export const userReference = (tenant: string, user: string): Promise<string | undefined> => getUserClaim(tenant, user);

/**
 * Whether the reference read as `leader` really leads the user's claimed reference `claim`: it exists,
 * is not itself an alias, and is the claim or has it among its aliases. Otherwise `follow` says where to
 * look next (the leader of an alias), or nothing when the reference is gone and the claim must be re-read.
 */
export function checkLeader(rows: ConsentRows, claim: string, leader: string): { ok: true } | { ok: false; follow?: string } {
  const reference = rows.reference;
  if (!reference) return { ok: false };
  if (reference.leader) return { ok: false, follow: reference.leader };
  if (leader === claim || reference.aliases?.includes(claim)) return { ok: true };
  return { ok: false };
}

/** Pending (409 with Retry-After), blocked (423) and removed schemas (404) stop every read and write. */
export function requireUsable(rows: ConsentRows, ref: string, entityType: string): void {
  const reference = rows.reference!;
  if (reference.status !== 'active') throw consentErrors.referencePending(ref);
  if (reference.blocked) throw consentErrors.referenceBlocked(ref);
  if (!rows.schema || !rows.schema.active || rows.schema.owner !== 'user') throw profileErrors.entityTypeUnknown(entityType);
}

/** The grant blob under which new data is written now, or 403 when consent is not granted. */
export function currentGrant(rows: ConsentRows, entityType: string): string {
  const blob = rows.consent?.granted ? rows.consent.grantBlob : null;
  if (!blob || !rows.schemaKey || rows.schemaKey.grantBlob !== blob || !rows.dataKey) throw profileErrors.consentNotGranted(entityType);
  return blob;
}

/** Why data sealed under `grantBlob` can no longer be opened, or undefined when it can. */
export function unreadableReason(rows: ConsentRows, grantBlob: string): 'ConsentRevoked' | 'KeyDestroyed' | undefined {
  if (!rows.consent?.granted || !rows.consent.grantBlob) return 'ConsentRevoked';
  if (rows.consent.grantBlob !== grantBlob || rows.schemaKey?.grantBlob !== grantBlob || !rows.dataKey) return 'KeyDestroyed';
  return undefined;
}

/**
 * The plaintext key of (reference, schema) for `grantBlob`: the reference's data key comes from the
 * platform's data-key cache (no KMS call when warm), the schema key is unwrapped locally. Caller wipes it.
 */
export async function openSchemaKey(tenant: string, ref: string, schema: string, rows: ConsentRows, grantBlob: string): Promise<Buffer> {
  const dataKey = await openReferenceDataKey(tenant, ref, rows.dataKey!.wrapped);
  try {
    return unwrapSchemaKey(dataKey, { tenant, ref, schema, grantBlob }, rows.schemaKey!.wrapped);
  } finally {
    dataKey.fill(0);
  }
}

/** The guest's consents and their verified history, for the export (reads only; the guest is the owner). */
export async function consentRecord(tenant: string, ref: string) {
  const [{ reference, consents }, history] = await Promise.all([loadReferencePartition(tenant, ref), loadHistory(tenant, ref)]);
  if (!reference) return undefined;
  return {
    consentReference: ref,
    status: reference.status,
    blocked: reference.blocked,
    aliases: reference.aliases ?? [],
    consents: consents.map((c) => ({ schema: c.schema, consentClass: c.consentClass, granted: c.granted, updatedAt: c.updatedAt })),
    history: history.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, changes: e.changes, hash: e.hash })),
    historyVerification: verifyChain(history, { seq: reference.historySeq, hash: reference.historyHash }),
  };
}

/**
 * Erasure: consent's own deletion of the guest's reference (all consents, every key: crypto-shredding),
 * acting for the guest as its owner. Consent's `deleteReference` authorises consent callers, so the
 * guest is presented with the consent manage scope for this one call (see docs/profile.md, "What
 * profile needs from consent": a `deleteUserReference(tenant, user)` for the data owner would remove this).
 */
export async function destroyUserReference(tenant: string, guest: string, ref: string): Promise<void> {
  const owner: Principal = { kind: 'guest', sub: guest, tenant, scopes: new Set([MANAGE]) };
  await deleteReference(tenant, ref, { principal: owner });
}
