/** The stored shapes of the profile context (what lives in the main table, minus the keys). */

/** Who may read an item besides its owner: every related partner, or only the creating partner's app. */
export type ReadRole = 'related-partner' | 'creator-app';

/** The data governance every item carries (the seed's "Data Governance"). */
export interface Governance {
  /** The item's schema in the tenant's metamodel (`Person`, `PartnerData`, …). */
  readonly entityType: string;
  /** The owning guest (token `sub`). */
  readonly profile: string;
  /** Partner and app that created the item; absent when the guest wrote it on the platform's own pages. */
  readonly partnerId?: string;
  readonly clientId?: string;
  /**
   * What a reader needed when the item was written. Access is decided by the tenant's settings at read
   * time (`roleOf(entityType, sharedTypes)`), so a type the tenant stops sharing stops being shared at once.
   */
  readonly role: ReadRole;
}

/** Which key sealed the payload: the consent reference and the grant blob of (reference, schema). */
export interface SealedWith {
  readonly consentReference: string;
  readonly grantBlob: string;
}

export interface DataItem {
  readonly tenant: string;
  readonly id: string;
  readonly name: string;
  readonly governance: Governance;
  /**
   * The scope segment of the item's address (`*` for the guest's `Person`, the creating app's client_id
   * for partner data): fixed when the item is created, so its key and its AAD never depend on settings.
   * Absent on items written before it was recorded (derived from the address rules then: `itemScope`).
   */
  readonly scope?: string;
  readonly sealedWith: SealedWith;
  /** AES-256-GCM of the JSON payload, bound to tenant, profile, entity type, scope and name. */
  readonly payload: string;
  /** Size of the JSON payload in bytes (the limit is checked on it). */
  readonly size: number;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Set on a copy imported from a share. */
  readonly importedFrom?: { readonly sharingIdentifier: string; readonly importedAt: string };
}

export interface RelationItem {
  readonly tenant: string;
  readonly guest: string;
  readonly partnerId: string;
  /** The app the guest first signed in through. */
  readonly clientId?: string;
  /**
   * Every app of the partner the guest signed in through while the relation is active (the first call through
   * each app adds it; `GET /me/access` lists them). Absent on relations recorded before: then `clientId` alone.
   */
  readonly apps?: readonly string[];
  readonly since: string;
  /** Set when the guest ended the relation; a token issued after it re-establishes the relation. */
  readonly endedAt?: string;
}

export type ShareStatus = 'active' | 'withdrawn';

export interface ShareItem {
  readonly tenant: string;
  readonly sharingIdentifier: string;
  readonly sharer: string;
  readonly partnerId: string;
  readonly clientId: string;
  /** The shared object's scope (`<partnerId>#<clientId>`); absent on shares made before decision 0302 (then `clientId`). */
  readonly scope?: string;
  readonly name: string;
  /** The shared object's id when shared: an object re-created under the name is another object. */
  readonly itemId?: string;
  /** Lower-case initials of the sharing guest, for the copy's name. */
  readonly initials: string;
  readonly status: ShareStatus;
  /** ISO time after which imports are refused (not the table's TTL attribute on purpose). */
  readonly shareExpiresAt?: string;
  readonly maxImports?: number;
  /** Distinct importing guests; refreshing a copy does not count again. */
  readonly importCount: number;
  readonly createdAt: string;
  readonly withdrawnAt?: string;
}

export interface SharePointerItem {
  readonly sharingIdentifier: string;
  readonly clientId: string;
  /** The object's scope (part of the pointer's key); absent on pointers written before decision 0302 (then `clientId`). */
  readonly scope?: string;
  readonly partnerId?: string;
  readonly name: string;
}

export interface ShareImportItem {
  readonly sharingIdentifier: string;
  readonly importer: string;
  readonly copyName: string;
  readonly firstImportedAt: string;
  readonly lastImportedAt: string;
  readonly imports: number;
}

export interface ImportedItem {
  readonly sharingIdentifier: string;
  readonly clientId: string;
  /** The importing partner and app (the copy's scope); absent on pointers written before decision 0302. */
  readonly scope?: string;
  readonly copyName: string;
  /** The copy's item id: a pointer is trusted only while the item at `copyName` is this copy of this share. */
  readonly copyId?: string;
  readonly sharer: string;
  readonly importedAt: string;
}
