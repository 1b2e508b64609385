/**
 * Every key of the profile context (docs/profile.md lists the access patterns). A guest's whole
 * profile is one partition, `T#<tenant>#GUEST#<sub>`: data items, relations, share pointers and import
 * pointers, so export and erasure are one Query. A share has its own partition, addressed by its
 * sharing identifier, so an import finds it with one strongly consistent read.
 */
export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

/** The segment of an item's sort key that scopes it: the creating app, or `*` for shared entity types. */
export const SHARED_SCOPE = '*';

export const guestPartition = (tenant: string, guest: string) => `T#${tenant}#GUEST#${guest}`;

export const ITEM_SK_PREFIX = 'ITEM#';
/** `ITEM#<entityType>#<scope>#<name>`: scope is the creating app's client_id for app-private types. */
export const itemSortKey = (entityType: string, scope: string, name: string) => `${ITEM_SK_PREFIX}${entityType}#${scope}#${name}`;
export const itemKey = (tenant: string, guest: string, entityType: string, scope: string, name: string): ItemKey => ({
  PK: guestPartition(tenant, guest),
  SK: itemSortKey(entityType, scope, name),
});

/** The guest's own profile: the `Person` item named `me`. */
export const PERSON = 'Person';
export const PARTNER_DATA = 'PartnerData';
/**
 * The scope of partner data: the creating partner and its app, `<partnerId>#<clientId>` (decision 0302). A
 * partner id has no `#`, a client id no `#`, a name no `#`, so this sort key has exactly three segments after
 * the entity type and never equals an item written before the partner was part of the key (scope
 * `<clientId>`, two segments: `legacyAppScope`).
 */
export const appScope = (partnerId: string, clientId: string) => `${partnerId}#${clientId}`;
/** The scope partner data had before decision 0302: the app alone. Still read, never written for new objects. */
export const legacyAppScope = (clientId: string) => clientId;
export const isLegacyScope = (scope: string) => !scope.includes('#');
export const partnerDataPrefix = (scope: string, prefix: string) => itemSortKey(PARTNER_DATA, scope, prefix);

export const RELATION_SK_PREFIX = 'REL#';
export const relationKey = (tenant: string, guest: string, partnerId: string): ItemKey => ({
  PK: guestPartition(tenant, guest),
  SK: `${RELATION_SK_PREFIX}${partnerId}`,
});

/**
 * The partner's index of its guests (decision 0412): the relation row carries `GSI2PK`/`GSI2SK`, so a partner
 * lists the guests related to it without a guest token. A busy partner takes a relation write per new guest,
 * so the index spreads over `RELATION_INDEX_SHARDS` partitions by the guest's hash (decision 0206's numbers).
 */
export const RELATION_INDEX_SHARDS = 16;
/** FNV-1a (32 bit) of a key segment: a stable, even spread over shards. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
export const relationIndexShard = (guest: string) => fnv1a(guest) % RELATION_INDEX_SHARDS;
export const relationIndexPartition = (tenant: string, partnerId: string, shard: number) => `T#${tenant}#PARTNER#${partnerId}#GUESTS#${shard}`;
export const relationIndexKeys = (tenant: string, partnerId: string, guest: string) => ({
  GSI2PK: relationIndexPartition(tenant, partnerId, relationIndexShard(guest)),
  GSI2SK: guest,
});

/**
 * What stays of a relation when the guest erases their profile (decision 0413): a tombstone outside the guest's
 * partition (which erasure empties), ids and times only, for 90 days — so the partner is told and its CRM pull
 * answers 410 `ProfileErased` rather than 404. A new sign-in makes a new relation beside it.
 */
export const erasedRelationPartition = (tenant: string, guest: string) => `T#${tenant}#ERASED#${guest}`;
export const erasedRelationKey = (tenant: string, guest: string, partnerId: string): ItemKey => ({
  PK: erasedRelationPartition(tenant, guest),
  SK: `${RELATION_SK_PREFIX}${partnerId}`,
});

/** The guest's active share of one object (points at the share partition); `scope` is the object's scope. */
export const SHARE_POINTER_SK_PREFIX = 'SHARE#';
export const sharePointerKey = (tenant: string, guest: string, scope: string, name: string): ItemKey => ({
  PK: guestPartition(tenant, guest),
  SK: `${SHARE_POINTER_SK_PREFIX}${scope}#${name}`,
});

/**
 * In the importer's partition: which copy a share was imported into by one app (`scope` = the importing
 * partner and app), so a new import through that app refreshes it — after checking it still is that copy.
 */
export const IMPORTED_SK_PREFIX = 'IMPORTED#';
export const importedKey = (tenant: string, guest: string, sharingIdentifier: string, scope: string): ItemKey => ({
  PK: guestPartition(tenant, guest),
  SK: `${IMPORTED_SK_PREFIX}${sharingIdentifier}#${scope}`,
});
/** The pointer written before decision 0302: one per share and importer, whatever the app (its `clientId` says which). */
export const legacyImportedKey = (tenant: string, guest: string, sharingIdentifier: string): ItemKey => ({
  PK: guestPartition(tenant, guest),
  SK: `${IMPORTED_SK_PREFIX}${sharingIdentifier}`,
});

export const sharePartition = (tenant: string, sharingIdentifier: string) => `T#${tenant}#SHARE#${sharingIdentifier}`;
export const shareKey = (tenant: string, sharingIdentifier: string): ItemKey => ({
  PK: sharePartition(tenant, sharingIdentifier),
  SK: 'SHARE',
});
/** Who imported a share: one item per importing guest, next to the share. */
export const IMPORT_SK_PREFIX = 'IMPORT#';
export const shareImportKey = (tenant: string, sharingIdentifier: string, importer: string): ItemKey => ({
  PK: sharePartition(tenant, sharingIdentifier),
  SK: `${IMPORT_SK_PREFIX}${importer}`,
});

/** The tenant's profile settings (which entity types are shared with related partners): one item. */
export const settingsKey = (tenant: string): ItemKey => ({ PK: `T#${tenant}#PROFILE#SETTINGS`, SK: 'SETTINGS' });

/** Entity types written by this context. */
export const ENTITY = {
  item: 'ProfileDataItem',
  relation: 'ProfileRelation',
  sharePointer: 'ProfileSharePointer',
  share: 'ProfileShare',
  shareImport: 'ProfileShareImport',
  imported: 'ProfileImportedCopy',
  settings: 'ProfileSettings',
  erasedRelation: 'ProfileErasedRelation',
} as const;
