import { batchGet } from '../platform/table/index.js';
import { consentErrors } from './errors.js';
import { consentKey, type ItemKey, referenceDataKeyKey, referenceKey, schemaDataKeyKey, schemaKey } from './keys.js';
import type { ConsentItem, ReferenceItem, SchemaItem } from './model.js';
import { effectiveConsent } from './staging.js';
import type { StoredDataKey, StoredSchemaKey } from './store.js';

/**
 * The one implementation of "may data of (reference, schema) be used now, and under which grant",
 * evaluated over rows the caller has read. Consent's own `requireGrantedKey` reads them with one
 * BatchGet of its own; profile reads them in the same BatchGet as its item (one DynamoDB call per read),
 * so the rules take rows, not a table.
 */
export interface ConsentRows {
  readonly reference?: ReferenceItem;
  readonly consent?: ConsentItem;
  readonly schema?: SchemaItem;
  readonly dataKey?: StoredDataKey;
  readonly schemaKey?: StoredSchemaKey;
}

/** The rows that decide (reference, schema): three in the main table, two in the key table. */
export interface ConsentRowKeys {
  readonly reference: ItemKey;
  readonly consent: ItemKey;
  readonly schema: ItemKey;
  readonly dataKey: ItemKey;
  readonly schemaKey: ItemKey;
  /** For the BatchGet: the main-table keys and the key-table keys. */
  readonly main: readonly ItemKey[];
  readonly keys: readonly ItemKey[];
}

export function consentRowKeys(tenant: string, ref: string, schema: string): ConsentRowKeys {
  const named = {
    reference: referenceKey(tenant, ref),
    consent: consentKey(tenant, ref, schema),
    schema: schemaKey(tenant, schema),
    dataKey: referenceDataKeyKey(tenant, ref),
    schemaKey: schemaDataKeyKey(tenant, ref, schema),
  };
  return { ...named, main: [named.reference, named.consent, named.schema], keys: [named.dataKey, named.schemaKey] };
}

/** Looks rows up by key in whatever the caller read (profile's BatchGet result, or ours). */
export interface RowLookup {
  main(key: ItemKey): Record<string, unknown> | undefined;
  keys(key: ItemKey): Record<string, unknown> | undefined;
}

export function pickConsentRows(keys: ConsentRowKeys, rows: RowLookup): ConsentRows {
  const reference = rows.main(keys.reference) as ReferenceItem | undefined;
  const consent = rows.main(keys.consent) as ConsentItem | undefined;
  return {
    reference,
    // A change staged over several transactions counts once its head committed it (decision 0207).
    consent: consent && effectiveConsent(consent, reference),
    schema: rows.main(keys.schema) as SchemaItem | undefined,
    dataKey: rows.keys(keys.dataKey) as StoredDataKey | undefined,
    schemaKey: rows.keys(keys.schemaKey) as StoredSchemaKey | undefined,
  };
}

/** The rows of (ref, schema) in one strongly consistent BatchGet over both tables. */
export async function readConsentRows(tenant: string, ref: string, schema: string): Promise<ConsentRows> {
  const keys = consentRowKeys(tenant, ref, schema);
  const found = await batchGet([{ table: 'main', keys: keys.main }, { table: 'keys', keys: keys.keys }]);
  return pickConsentRows(keys, { main: (key) => found.get('main', key), keys: (key) => found.get('keys', key) });
}

/**
 * The reference may hold data now: it exists, its creation completed (else 409 + Retry-After) and it is
 * not blocked (423). An alias must be followed to its leader before (`rows.reference.leader`).
 * `addressed` is the reference as the caller named it, for the messages.
 */
export function requireUsableReferenceRow(rows: ConsentRows, addressed: string): ReferenceItem {
  const reference = rows.reference;
  if (!reference) throw consentErrors.referenceNotFound(addressed);
  if (reference.status !== 'active') throw consentErrors.referencePending(addressed);
  if (reference.blocked) throw consentErrors.referenceBlocked(addressed);
  return reference;
}

/**
 * As `requireUsableReferenceRow`, and the schema is active in the metamodel and owned by the reference's
 * side (user schemas under user references, tenant schemas under TENANT); else 404 SchemaNotFound.
 */
export function requireUsableSchemaRow(rows: ConsentRows, addressed: string, schema: string): SchemaItem {
  const reference = requireUsableReferenceRow(rows, addressed);
  const owner = reference.kind === 'tenant' ? 'tenant' : 'user';
  if (!rows.schema?.active || rows.schema.owner !== owner) throw consentErrors.schemaNotFound(schema);
  return rows.schema;
}

/** Whether the consent is granted now with intact key material: its grant blob, else undefined. */
function currentGrantBlob(rows: ConsentRows): string | undefined {
  const blob = rows.consent?.granted ? rows.consent.grantBlob : null;
  if (!blob || !rows.dataKey || rows.schemaKey?.grantBlob !== blob) return undefined;
  return blob;
}

/** The grant new data is written under now; 403 ConsentNotGranted when never granted or revoked. */
export function requireCurrentGrant(rows: ConsentRows, addressed: string, schema: string): string {
  requireUsableSchemaRow(rows, addressed, schema);
  const blob = currentGrantBlob(rows);
  if (!blob) throw consentErrors.consentNotGranted(schema);
  return blob;
}

/**
 * Why data sealed under `grantBlob` can no longer be opened: `revoked` (the consent is not granted now)
 * or `destroyed` (granted again since, with new key material); undefined when it can be opened.
 */
export type LostGrant = 'revoked' | 'destroyed';
export function lostGrant(rows: ConsentRows, grantBlob: string): LostGrant | undefined {
  const current = currentGrantBlob(rows);
  if (!current) return 'revoked';
  return current === grantBlob ? undefined : 'destroyed';
}

/**
 * Why data an alias sealed under its own key (before a merge) can no longer be opened through its leader,
 * or undefined when it can: the merged profile (the leader) grants the schema now and the alias still holds
 * the key of `grantBlob` (decision 0204). `leaderRows` are the leader's, `aliasRows` the alias's rows.
 * - `revoked`: a revoke on the merged profile destroyed it (or the leader does not grant the schema now),
 * - `merged`: the merge shredded it, because the leader did not grant the schema then,
 * - `detached`: the reference it was sealed under is not (or no longer) an alias of this leader.
 */
export type LostAliasGrant = 'revoked' | 'merged' | 'detached';
export function lostAliasGrant(leaderRows: ConsentRows, aliasRows: ConsentRows, grantBlob: string): LostAliasGrant | undefined {
  const leader = leaderRows.reference;
  const alias = aliasRows.reference;
  if (!leader || !alias || alias.leader !== leader.ref || !leader.aliases?.includes(alias.ref)) return 'detached';
  const aliasConsent = aliasRows.consent as (ConsentItem & { shreddedBy?: string }) | undefined;
  const aliasKeyIntact = aliasRows.dataKey !== undefined && aliasRows.schemaKey?.grantBlob === grantBlob;
  if (!aliasKeyIntact) return aliasConsent?.shreddedBy === 'merge' ? 'merged' : 'revoked';
  return currentGrantBlob(leaderRows) ? undefined : 'revoked';
}

/** As `requireCurrentGrant` for data sealed under `grantBlob`; 410 ConsentKeyDestroyed once that grant is gone. */
export function requireReadableGrant(rows: ConsentRows, addressed: string, schema: string, grantBlob: string): string {
  requireUsableSchemaRow(rows, addressed, schema);
  const lost = lostGrant(rows, grantBlob);
  if (lost) throw consentErrors.keyDestroyed(schema, lost);
  return grantBlob;
}
