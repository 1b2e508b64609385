import { type Aad, open as openSealed, seal as sealValue } from '../platform/envelope.js';
import {
  type ConsentRows,
  lostAliasGrant,
  readConsentRows,
  requireCurrentGrant,
  requireReadableGrant,
  requireUsableSchemaRow,
} from './consent-rows.js';
import { consentErrors } from './errors.js';
import { openReferenceDataKey, unwrapSchemaKey } from './key-material.js';

/**
 * The consent context's API for profile data (issue 6): the key of one (reference, schema), handed out
 * only while the reference is active and not blocked, the schema is in the metamodel and owned as the
 * reference expects, and the consent is granted. The rules live in `consent-rows.ts` and take rows, so
 * a caller that reads them together with its own items (profile) uses the `…FromRows` forms and the
 * same rules; `requireGrantedKey`/`requireKeyFor` read them here (one BatchGet; one more for an alias).
 * The reference's data key comes from the platform's bounded cache or one KMS Decrypt.
 */
export interface GrantedKey {
  readonly tenant: string;
  /** The leading reference: store data under it. */
  readonly consentReference: string;
  readonly schema: string;
  /** Store it next to each sealed value: a later `requireKeyFor` tells "revoked since" (410) from "wrong key". */
  readonly grantBlob: string;
  /** AES-256-GCM; the AAD always includes tenant, reference, schema and grant blob besides `aad`. */
  seal(plaintext: Uint8Array | string, aad: Aad): string;
  /** Throws `EnvelopeIntegrityError` (platform/envelope.ts) for tampered values or another AAD. */
  open(sealed: string, aad: Aad): Buffer;
  /** Wipes the key; the handle is unusable afterwards. */
  dispose(): void;
}

async function handle(tenant: string, rows: ConsentRows, schema: string, grantBlob: string): Promise<GrantedKey> {
  const ref = rows.reference!.ref;
  const address = { tenant, ref, schema, grantBlob };
  const wrappingKey = await openReferenceDataKey(tenant, ref, rows.dataKey!.wrapped);
  let key: Buffer;
  try {
    key = unwrapSchemaKey(wrappingKey, address, rows.schemaKey!.wrapped);
  } finally {
    wrappingKey.fill(0);
  }
  const bound = (aad: Aad): Aad => ({ ...aad, tenant, consentReference: ref, schema, grantBlob });
  return {
    tenant,
    consentReference: ref,
    schema,
    grantBlob,
    seal: (plaintext, aad) => sealValue(key, plaintext, bound(aad)),
    open: (sealed, aad) => openSealed(key, sealed, bound(aad)),
    dispose: () => key.fill(0),
  };
}

/**
 * The key to write (and read) `schema` data now, from rows of the leading reference (`addressed` is
 * the name the caller used, for messages). Errors: ConsentReferenceNotFound (404), ConsentReferencePending
 * (409, Retry-After), ConsentReferenceBlocked (423), SchemaNotFound (404: unknown, removed, or owned by
 * the other side), ConsentNotGranted (403: never granted or revoked).
 */
export function grantedKeyFromRows(tenant: string, rows: ConsentRows, addressed: string, schema: string): Promise<GrantedKey> {
  return handle(tenant, rows, schema, requireCurrentGrant(rows, addressed, schema));
}

/** The key of data sealed under `grantBlob`: as `grantedKeyFromRows`, and 410 ConsentKeyDestroyed once that grant is gone. */
export function keyForGrantFromRows(tenant: string, rows: ConsentRows, addressed: string, schema: string, grantBlob: string): Promise<GrantedKey> {
  return handle(tenant, rows, schema, requireReadableGrant(rows, addressed, schema, grantBlob));
}

/** Where a value was sealed: the reference whose key sealed it (stored beside it) and the grant blob. */
export interface SealedWith {
  readonly consentReference: string;
  readonly grantBlob: string;
}

/**
 * The key of a value sealed as `sealed`, from rows of the leading reference. Sealed under the leader:
 * `keyForGrantFromRows`. Sealed under one of its aliases before a merge: the alias's own key (one more
 * BatchGet of the alias's rows), while the leader grants the schema now and the alias still holds that
 * key — the merged profile keeps its data until a revoke on it shreds the aliases' keys too (decision 0204).
 * Errors as `keyForGrantFromRows`; 410 ConsentKeyDestroyed with `reason` `revoked`, `merged` or `detached`.
 */
export async function keyForSealedFromRows(tenant: string, rows: ConsentRows, addressed: string, schema: string, sealed: SealedWith): Promise<GrantedKey> {
  requireUsableSchemaRow(rows, addressed, schema);
  if (sealed.consentReference === rows.reference!.ref) return keyForGrantFromRows(tenant, rows, addressed, schema, sealed.grantBlob);
  const aliasRows = await readConsentRows(tenant, sealed.consentReference, schema);
  const lost = lostAliasGrant(rows, aliasRows, sealed.grantBlob);
  if (lost) throw consentErrors.keyDestroyed(schema, lost);
  return handle(tenant, aliasRows, schema, sealed.grantBlob);
}

/** The rows of (ref → its leader, schema). */
async function leaderRows(tenant: string, ref: string, schema: string): Promise<ConsentRows> {
  const rows = await readConsentRows(tenant, ref, schema);
  return rows.reference?.leader ? readConsentRows(tenant, rows.reference.leader, schema) : rows;
}

/** `grantedKeyFromRows` over a fresh read: each call sees the latest revoke or block. */
export async function requireGrantedKey(tenant: string, ref: string, schema: string): Promise<GrantedKey> {
  return grantedKeyFromRows(tenant, await leaderRows(tenant, ref, schema), ref, schema);
}

/**
 * `keyForGrantFromRows` over a fresh read (ConsentKeyDestroyed even if granted again with new key material).
 * `sealedUnder`: the reference the value was sealed under, when it may be an alias of `ref`'s leader (data
 * an alias wrote before a merge); default: the leader.
 */
export async function requireKeyFor(tenant: string, ref: string, schema: string, grantBlob: string, sealedUnder?: string): Promise<GrantedKey> {
  const rows = await leaderRows(tenant, ref, schema);
  if (sealedUnder === undefined) return keyForGrantFromRows(tenant, rows, ref, schema, grantBlob);
  return keyForSealedFromRows(tenant, rows, ref, schema, { consentReference: sealedUnder, grantBlob });
}

