/**
 * Every key of the consent context, built by small named functions (docs/consent.md lists the access
 * patterns). Main table (streamed): references, consents, the user→reference claim, the tenant
 * metamodel, the history chain and idempotency records. Key table (no stream): wrapped key material.
 *
 * A reference's partition holds the reference item and all its consents, so "all consents of a
 * reference" is one Query, and reference + one consent is one BatchGet.
 */
export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

/** The tenant reference is the literal `TENANT`; `YPROFILE` is the reserved system reference. */
export const TENANT_REF = 'TENANT';
export const SYSTEM_REF = 'YPROFILE';

const tenantPrefix = (tenant: string) => `T#${tenant}`;

/** Partition of one consent reference: its `REF` item and its `CONSENT#<schema>` items. */
export const referencePartition = (tenant: string, ref: string) => `${tenantPrefix(tenant)}#REF#${ref}`;
export const REFERENCE_SK = 'REF';
export const CONSENT_SK_PREFIX = 'CONSENT#';

export const referenceKey = (tenant: string, ref: string): ItemKey => ({
  PK: referencePartition(tenant, ref),
  SK: REFERENCE_SK,
});

export const consentKey = (tenant: string, ref: string, schema: string): ItemKey => ({
  PK: referencePartition(tenant, ref),
  SK: `${CONSENT_SK_PREFIX}${schema}`,
});

/**
 * Index entry of every reference of a tenant (GSI1, on the reference item itself): the fan-out of a
 * metamodel change finds the references it must update with it. Eventually consistent, like any GSI.
 *
 * Sharded (decision 0206): a reference's entry lives in one of `REFERENCE_INDEX_SHARDS` partitions
 * (`T#<tenant>#REFERENCES#<shard>`), the shard chosen by a hash of the reference id. Every write of a
 * reference item is also a write of its index entry (projection ALL), and DynamoDB allows one index
 * partition about 1,000 writes a second; one partition per tenant capped the tenant's creations there.
 * Readers query every shard (in parallel) and merge.
 */
export const REFERENCE_INDEX_SHARDS = 16;

/** FNV-1a (32 bit) of the reference id: stable, cheap, and spreads random ids evenly. */
export function referenceIndexShard(ref: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < ref.length; i++) {
    hash ^= ref.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % REFERENCE_INDEX_SHARDS;
}

export const referencesIndexShardPartition = (tenant: string, shard: number) => `${tenantPrefix(tenant)}#REFERENCES#${shard}`;
/** Every shard partition of the tenant's reference index, in shard order. */
export const referencesIndexPartitions = (tenant: string): string[] =>
  Array.from({ length: REFERENCE_INDEX_SHARDS }, (_, shard) => referencesIndexShardPartition(tenant, shard));
export const referenceIndexKeys = (tenant: string, ref: string) => ({
  GSI1PK: referencesIndexShardPartition(tenant, referenceIndexShard(ref)),
  GSI1SK: ref,
});

/**
 * A user id (a guest's token `sub`, the `hybris-user` header, the `users/{user}` path parameter) names the
 * user claim's partition key and is copied into events: 1 to 256 characters (at most 1024 bytes in UTF-8,
 * far below the 2048 bytes of a partition key), as the path parameter always was.
 */
export const MAX_USER_ID_LENGTH = 256;
export const isValidUserId = (user: string): boolean => user.length >= 1 && user.length <= MAX_USER_ID_LENGTH;

/** The one reference of a signed-in user in a tenant; a conditional put makes the claim race-free. */
export const userClaimKey = (tenant: string, user: string): ItemKey => ({
  PK: `${tenantPrefix(tenant)}#USER#${user}`,
  SK: 'USER',
});

/** The tenant's metamodel: one partition, one `SCHEMA#<schema>` item per schema. */
export const metamodelPartition = (tenant: string) => `${tenantPrefix(tenant)}#META`;
export const SCHEMA_SK_PREFIX = 'SCHEMA#';
export const schemaKey = (tenant: string, schema: string): ItemKey => ({
  PK: metamodelPartition(tenant),
  SK: `${SCHEMA_SK_PREFIX}${schema}`,
});

/** The tamper-evident history of a reference; entries sorted by zero-padded sequence number. */
export const historyPartition = (tenant: string, ref: string) => `${tenantPrefix(tenant)}#REF#${ref}#HISTORY`;
export const historyKey = (tenant: string, ref: string, seq: number): ItemKey => ({
  PK: historyPartition(tenant, ref),
  SK: `ENTRY#${String(seq).padStart(10, '0')}`,
});

/** A remembered answer to a POST with `Idempotency-Key`, scoped to the caller (both given as hashes). */
export const idempotencyKey = (tenant: string, caller: string, key: string): ItemKey => ({
  PK: `${tenantPrefix(tenant)}#IDEMPOTENCY#${caller}#${key}`,
  SK: 'IDEMPOTENCY',
});

// ---- key table (wrapped key material only; never in the main table, never in an event) ----

/** The reference's KMS data key (wrapped by KMS, encryption context tenant + reference). */
export const referenceDataKeyKey = (tenant: string, ref: string): ItemKey => ({
  PK: referencePartition(tenant, ref),
  SK: 'DATAKEY',
});

/** A per-(reference, schema) key, generated locally and wrapped under the reference's data key. */
export const SCHEMA_KEY_SK_PREFIX = 'SCHEMAKEY#';
export const schemaDataKeyKey = (tenant: string, ref: string, schema: string): ItemKey => ({
  PK: referencePartition(tenant, ref),
  SK: `${SCHEMA_KEY_SK_PREFIX}${schema}`,
});

/**
 * DynamoDB bounds a sort key to 1024 bytes (UTF-8), not characters. A schema name is part of three sort
 * keys (`CONSENT#`, `SCHEMA#`, `SCHEMAKEY#` + name) and of no GSI key, so it may have as many bytes as the
 * longest prefix leaves: 1014. Checked where a name enters (HTTP parameters and bodies, `putSchema`).
 */
export const MAX_SORT_KEY_BYTES = 1024;
export const MAX_SCHEMA_BYTES = MAX_SORT_KEY_BYTES - Math.max(CONSENT_SK_PREFIX.length, SCHEMA_SK_PREFIX.length, SCHEMA_KEY_SK_PREFIX.length);
export const schemaNameFits = (schema: string): boolean => schema.length > 0 && Buffer.byteLength(schema, 'utf8') <= MAX_SCHEMA_BYTES;
export const SCHEMA_NAME_RULE = `a schema name has 1 to ${MAX_SCHEMA_BYTES} bytes in UTF-8`;

/** Entity types written by this context. */
export const ENTITY = {
  reference: 'ConsentReference',
  consent: 'Consent',
  userClaim: 'ConsentUserClaim',
  schema: 'MetamodelSchema',
  history: 'ConsentHistoryEntry',
  idempotency: 'IdempotencyRecord',
  referenceDataKey: 'ConsentReferenceDataKey',
  schemaDataKey: 'ConsentSchemaKey',
  stagedChange: 'ConsentStagedChange',
} as const;

/**
 * A staged consent change (decision 0209): one row per change too large for one transaction, written with
 * its first staging chunk and deleted once it is settled or rolled back. Its own partition (never read with
 * the reference's), and in the sparse `GSI1` partition the sweeper reads, sorted by the change's time.
 */
export const stagedChangeKey = (tenant: string, ref: string, hash: string): ItemKey => ({
  PK: `${tenantPrefix(tenant)}#STAGED#${ref}`,
  SK: hash,
});
export const STAGED_CHANGES_INDEX_PARTITION = 'CONSENT#STAGED';
export const stagedChangeIndexKeys = (tenant: string, ref: string, hash: string, at: string) => ({
  GSI1PK: STAGED_CHANGES_INDEX_PARTITION,
  GSI1SK: `${at}#${tenant}#${ref}#${hash}`,
});
