/** The stored shapes of the consent context (what lives in the main table, minus the keys). */

export type ReferenceKind = 'user' | 'anonymous' | 'tenant';
/** `pending` until the consumer of `ConsentReferenceRequested` has created its consents and keys. */
export type ReferenceStatus = 'pending' | 'active';
export type SchemaOwner = 'user' | 'tenant';

export interface ReferenceItem {
  readonly tenant: string;
  readonly ref: string;
  readonly kind: ReferenceKind;
  readonly status: ReferenceStatus;
  readonly blocked: boolean;
  /** Set on an alias: the leading reference every operation is redirected to. */
  readonly leader?: string;
  /** Set on a leader: the references merged into it. */
  readonly aliases?: readonly string[];
  /** The signed-in user (token `sub`, or `hybris-user` of a trusted backend); absent for anonymous. */
  readonly user?: string;
  /** SHA-256 (hex) of the reference's `consentReferenceToken`; the token itself is never stored. */
  readonly tokenHash?: string;
  /** What the creator asked to grant; absent means the tenant's defaults. */
  readonly requested?: { readonly classes?: readonly string[]; readonly schemas?: readonly string[] };
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Optimistic lock of every change to the reference or its consents: the history head. */
  readonly historySeq: number;
  readonly historyHash: string;
}

export interface ConsentItem {
  readonly tenant: string;
  readonly ref: string;
  readonly schema: string;
  readonly consentClass: string;
  readonly granted: boolean;
  /** Handle of the current key material; `null` while revoked. */
  readonly grantBlob: string | null;
  readonly updatedAt: string;
}

/**
 * A consent row as stored: the consent plus a copy of its schema's metamodel entry (decision 0202), so
 * `GET /consents/{ref}` is one Query of the reference partition. Every write of a row carries the schema
 * revision it copied and never replaces a newer one; a schema change is fanned out to every reference.
 */
export interface ConsentRow extends ConsentItem {
  readonly schemaTitle?: string;
  readonly schemaDescription?: string;
  /** `false` while the schema is removed from the metamodel: the consent is hidden, nothing is deleted. */
  readonly schemaActive?: boolean;
  readonly schemaRevision?: number;
}

export interface SchemaItem {
  readonly tenant: string;
  readonly schema: string;
  readonly consentClass: string;
  readonly owner: SchemaOwner;
  readonly title: string;
  readonly description: string;
  /** Granted to new user references that do not name what to grant (default true). */
  readonly grantedByDefault?: boolean;
  /** `false` once removed from the metamodel: its consents and data are hidden, nothing is deleted. */
  readonly active: boolean;
  /** Incremented by every change (put, remove, re-add); copies on consent rows never go back to an older one. */
  readonly revision?: number;
  readonly updatedAt: string;
}

/** Hash of the empty history: the first entry's `prevHash`. */
export const GENESIS_HASH = '0'.repeat(64);
