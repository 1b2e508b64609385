import type { AppCaller, GuestCaller } from './caller.js';
import { requireUsable } from './consent-port.js';
import { loadContext, type OperationContext } from './context.js';
import { profileErrors } from './errors.js';
import { profileEvent } from './events.js';
import { type ItemAddress, itemDelete, itemPut, itemScope, keyOf, openItem, sealItem, visibleItem, writeGuards } from './items.js';
import {
  appScope, guestPartition, isLegacyScope, itemSortKey, type ItemKey, legacyAppScope, PARTNER_DATA, PERSON, SHARED_SCOPE, sharePointerKey,
} from './keys.js';
import type { DataItem, ImportedItem, SharePointerItem } from './model.js';
import { mayAccess, roleOf } from './policy.js';
import { usageChange, usageKey, usageWrite } from './quota.js';
import { copyPointerDeletes, importPointerKeys, noShare, withdrawal } from './share-writes.js';
import { recordRelationIfNew } from './relations.js';
import { isConditionFailed, retry, transact } from '../platform/table/index.js';
import { Item, queryPage, readRows, type Row, type StoredItem, type TransactItem } from './store.js';
import { DomainError } from '../platform/errors.js';
import { ANY_VERSION, type ExpectedVersion, versionMeets } from '../platform/versions.js';

/**
 * The guest's data objects of every user-owned entity type of the tenant's metamodel (decision 0304): partner
 * data (`/partnerdata/{name}`, the alias of `/data/PartnerData/{name}`) and every other type (`Party`, `Order`,
 * `Ticket`, …) through `/data/{entityType}/{name}`, ONE code path: the entity type is the consent schema whose
 * key seals the object, its consent and metamodel row are read in the operation's one BatchGet (an unknown,
 * removed or tenant-owned type is 404 `SchemaNotFound`), and the same rules of partner, app, shared types,
 * relation, keys, quota and If-Match apply. `Person` is the guest's own profile (`/me`), not served here.
 */

/** The documented limit of one data object: 64 KiB of JSON (UTF-8). */
export const PARTNER_DATA_MAX_BYTES = 64 * 1024;

/** Entity type names as a path segment and key segment: a schema name without `/`, `#`, spaces (≤ 64). */
export const ENTITY_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** The data API serves every entity type but `Person`, which is the guest's own profile at `/me` (its own body rules). */
export function requireDataType(entityType: string): void {
  if (entityType === PERSON) {
    throw new DomainError('Invalid', 'Person is the guest\'s own profile: read and write it at /profile/v1/me', 'PersonIsMe');
  }
}

/** Where a new object of the caller's partner and app lives: scope `<partnerId>#<clientId>` (decision 0302). */
export const partnerDataAddress = (caller: AppCaller, name: string, entityType: string = PARTNER_DATA): ItemAddress =>
  ({ entityType, scope: appScope(caller.partnerId, caller.clientId), name });
const legacyAddress = (caller: AppCaller, name: string): ItemAddress => ({ entityType: PARTNER_DATA, scope: legacyAppScope(caller.clientId), name });
/**
 * The guest-wide address of an object of another type than partner data, created while the tenant shared its
 * type (decision 0304): every related partner names the same object. Fixed at creation like every address.
 */
const guestWideAddress = (entityType: string, name: string): ItemAddress => ({ entityType, scope: SHARED_SCOPE, name });

/**
 * An object written before decision 0302 (keyed by the app alone) belongs to the caller only if its recorded
 * creator is the caller's partner and app: another partner whose app has the same client_id never reaches it.
 */
export const isOwnLegacyItem = (item: DataItem, caller: AppCaller): boolean =>
  isLegacyScope(itemScope(item)) && item.governance.partnerId === caller.partnerId && item.governance.clientId === caller.clientId;

/** The caller's object `name`: where it is (or would be created) and the item, if any. */
export interface Slot {
  readonly address: ItemAddress;
  readonly key: ItemKey;
  readonly item?: DataItem;
}

/**
 * The keys to read (in the operation's one BatchGet) to find the caller's object `name`: its partner-and-app key,
 * and for partner data the pre-0302 key, for other types the guest-wide key.
 */
export const slotKeys = (caller: AppCaller, name: string, entityType: string = PARTNER_DATA): ItemKey[] => [
  keyOf(caller, partnerDataAddress(caller, name, entityType)),
  keyOf(caller, entityType === PARTNER_DATA ? legacyAddress(caller, name) : guestWideAddress(entityType, name)),
];

/**
 * The caller's object from the rows read: at its partner-and-app key; else, for partner data, an own object at
 * the pre-0302 key; for other types the guest-wide object if the caller may act on it now (settings at read time;
 * an ended relation is returned so that it answers 403). Where a new object goes: partner data always to the
 * partner's app; another type guest-wide when the tenant shares it now and that name is free, else to the app.
 */
export function slotOf(context: OperationContext, caller: AppCaller, name: string): Slot {
  const type = context.entityType;
  const address = partnerDataAddress(caller, name, type);
  const key = keyOf(caller, address);
  const item = context.row<DataItem>(key);
  if (item) return { address, key, item };
  if (type === PARTNER_DATA) {
    const old = legacyAddress(caller, name);
    const oldKey = keyOf(caller, old);
    const legacy = context.row<DataItem>(oldKey);
    if (legacy && isOwnLegacyItem(legacy, caller)) return { address: old, key: oldKey, item: legacy };
    return { address, key };
  }
  const wide = guestWideAddress(type, name);
  const wideKey = keyOf(caller, wide);
  const found = context.row<DataItem>(wideKey);
  if (found) {
    const decision = mayAccess({ ...found.governance, role: roleOf(type, context.sharedTypes) }, caller, context.relationState);
    // Another app's object that is not shared (now): the caller never learns of it; its own object goes to its app.
    return decision.allowed || decision.reason === 'relation-ended' ? { address: wide, key: wideKey, item: found } : { address, key };
  }
  return roleOf(type, context.sharedTypes) === 'related-partner' ? { address: wide, key: wideKey } : { address, key };
}

/** The operation's entity type must be an active user schema of the tenant's metamodel (else 404), checked before anything is recorded. */
export async function dataContext(caller: GuestCaller, entityType: string, extra: readonly ItemKey[]): Promise<OperationContext> {
  requireDataType(entityType);
  const context = await loadContext(caller, entityType, extra);
  requireUsable(context.consent, context.ref, entityType);
  return context;
}

/** The share pointer keys of the caller's object `name` (new scope and pre-0302), for the same BatchGet. */
export const sharePointerKeys = (caller: AppCaller, name: string): ItemKey[] => [
  sharePointerKey(caller.tenant, caller.guest, appScope(caller.partnerId, caller.clientId), name),
  sharePointerKey(caller.tenant, caller.guest, legacyAppScope(caller.clientId), name),
];

/**
 * A conditional write's expectation (the edge reads it from `If-Match`, as for partners): any version; an
 * existing object; or the object in one of the named versions. Otherwise 412, nothing written.
 */
export function requireExpectedVersion(expected: ExpectedVersion, item: DataItem | undefined, name: string, entityType: string = PARTNER_DATA): void {
  if (!versionMeets(expected, item === undefined ? undefined : String(item.version))) {
    throw new DomainError('PreconditionFailed', `${entityType === PARTNER_DATA ? 'Partner data' : entityType} ${name} was changed or removed since it was read (If-Match)`, 'PartnerDataVersionMismatch');
  }
}

export function serialise(data: unknown): string {
  if (data === null || typeof data !== 'object') throw profileErrors.notAnObject();
  const json = JSON.stringify(data);
  if (Buffer.byteLength(json, 'utf8') > PARTNER_DATA_MAX_BYTES) throw profileErrors.tooLarge(PARTNER_DATA_MAX_BYTES);
  return json;
}

/** Retries an operation that lost a race (a concurrent write, revoke or first relation) a few times. */
export async function retrying<T>(attempt: () => Promise<T>, tries = 4): Promise<T> {
  return retry(attempt, { policy: { tries, baseMs: 40, capMs: 400 }, retryable: isConditionFailed, exhausted: () => profileErrors.concurrentChange() });
}

export interface ReadPartnerData {
  readonly item: DataItem;
  readonly data: unknown;
}

/** One BatchGetItem (item, consent, keys, partner, relation) and, with a warm key cache, no KMS call. */
export async function getPartnerData(caller: AppCaller, name: string, entityType: string = PARTNER_DATA): Promise<ReadPartnerData> {
  const context = await dataContext(caller, entityType, slotKeys(caller, name, entityType));
  await recordRelationIfNew(context);
  const slot = slotOf(context, caller, name);
  const item = visibleItem(context, slot.key, () => profileErrors.itemNotFound(name, entityType));
  return { item, data: await openItem(context, item) };
}

/**
 * Creates or replaces the caller's object. `expected` (the request's `If-Match`) makes a write based on a
 * stale read a 412. An imported copy keeps its link (`importedFrom`) when its owner edits it (decision 0303):
 * a later import of the same share refreshes it.
 */
export async function putPartnerData(
  caller: AppCaller, name: string, data: unknown, expected: ExpectedVersion = ANY_VERSION, entityType: string = PARTNER_DATA,
): Promise<{ item: DataItem; created: boolean }> {
  requireDataType(entityType);
  const json = serialise(data);
  return retrying(async () => {
    const context = await dataContext(caller, entityType, [...slotKeys(caller, name, entityType), usageKey(caller.tenant, caller.guest)]);
    const { address, key, item: found } = slotOf(context, caller, name);
    const existing = found ? visibleItem(context, key, () => profileErrors.itemNotFound(name, entityType)) : undefined;
    requireExpectedVersion(expected, existing, name, entityType);
    // A new object of a shared type needs the relation the type is shared through.
    if (!existing && roleOf(entityType, context.sharedTypes) === 'related-partner' && context.relationState === 'ended') {
      throw profileErrors.relationEnded(caller.partnerId);
    }
    const at = new Date().toISOString();
    const item = await sealItem(context, { address, data, json, existing, importedFrom: existing?.importedFrom }, at);
    await transact([
      itemPut(item, existing),
      ...writeGuards(context, item.sealedWith.grantBlob),
      changed(context, item, existing ? 'updated' : 'created'),
      await usageWrite(context, usageChange(item, existing)),
    ]);
    return { item, created: !existing };
  });
}

/**
 * Deletes the object and, in the same transaction, withdraws its active share (`ShareWithdrawn`, reason
 * `objectDeleted`): an object re-created under the same name is a new object, never reachable through the
 * old link. The share pointer is guarded as read, so a share made in between fails the delete (and retries).
 */
export async function deletePartnerData(caller: AppCaller, name: string, expected: ExpectedVersion = ANY_VERSION, entityType: string = PARTNER_DATA): Promise<void> {
  await retrying(async () => {
    const pointers = entityType === PARTNER_DATA ? sharePointerKeys(caller, name) : [];
    const context = await dataContext(caller, entityType, [...slotKeys(caller, name, entityType), ...pointers, usageKey(caller.tenant, caller.guest)]);
    const { address, key } = slotOf(context, caller, name);
    const existing = visibleItem(context, key, () => profileErrors.itemNotFound(name, entityType));
    requireExpectedVersion(expected, existing, name, entityType);
    await deleteFound(context, { address, key, item: existing });
  });
}

/** An object a deletion found, as read in the operation's context. */
export interface FoundObject {
  readonly address: ItemAddress;
  readonly key: ItemKey;
  readonly item: DataItem;
}

/** The keys `deleteFound` needs in the context's BatchGet besides the object: its share pointer and the guest's usage. */
export const deletionKeys = (caller: GuestCaller, address: ItemAddress): ItemKey[] => [
  sharePointerKey(caller.tenant, caller.guest, address.scope, address.name), usageKey(caller.tenant, caller.guest),
];

/**
 * THE deletion of a data object, whoever found it (the app naming its object, the guest naming a copy they
 * hold): the object (guarded as read), its active share withdrawn or none made in between, an imported copy's
 * pointers, the consent guards, `PartnerDataChanged` and the quota, in one transaction. Deleting needs no
 * consent (the guest may always get rid of data), only an unblocked reference.
 */
export async function deleteFound(context: OperationContext, { address, key, item }: FoundObject): Promise<void> {
  const { tenant, guest } = context.caller;
  // The object's share pointer is keyed by the object's own scope. Only partner data is shared (decision 0304).
  const shareable = item.governance.entityType === PARTNER_DATA;
  const pointerKey = sharePointerKey(tenant, guest, address.scope, address.name);
  const pointer = shareable ? context.row<SharePointerItem>(pointerKey) : undefined;
  const sharedBy = context.caller.partnerId ?? pointer?.partnerId ?? item.governance.partnerId ?? '';
  const share = pointer ? withdrawal(tenant, guest, pointer, 'objectDeleted', sharedBy) : shareable ? [noShare(pointerKey)] : [];
  await transact([
    itemDelete(key, item), ...share, ...(await copyPointers(tenant, guest, item)), ...writeGuards(context), changed(context, item, 'deleted'),
    await usageWrite(context, usageChange(undefined, item)),
  ]);
}

/** The deletes of an imported copy's pointers, read now (the copy was found first: its share says where they are). */
async function copyPointers(tenant: string, guest: string, item: DataItem): Promise<TransactItem[]> {
  if (!item.importedFrom) return [];
  const keys = importPointerKeys(tenant, guest, item);
  const rows = await readRows(keys);
  const found = keys.flatMap((key) => {
    const row = rows.main(key) as ImportedItem | undefined;
    return row ? [{ ...row, ...key }] : [];
  });
  return copyPointerDeletes(item, found);
}

export interface ListedItem {
  readonly name: string;
  readonly id: string;
  readonly updatedAt: string;
  readonly size: number;
  readonly data?: unknown;
  /** Set instead of `data` when the item can no longer be decrypted. */
  readonly unreadable?: string;
  readonly importedFrom?: string;
}

/** The cursor that starts the second part of a listing (partner data: objects written before decision 0302; other types: guest-wide objects). */
const LEGACY_CURSOR = Buffer.from('\u0000legacy', 'utf8').toString('base64url');
const GUEST_WIDE_START = Buffer.from('\u0000guest-wide', 'utf8').toString('base64url');

/**
 * One page of the caller's objects below `prefix`: first those at the partner-and-app key (by name), then
 * for partner data the caller's own objects written before decision 0302 (at the app's old key), for other
 * types the guest-wide objects the caller may act on now (by name). The cursor is the last sort key read, so
 * it tells which part to continue.
 */
async function pageOfRows(context: OperationContext, caller: AppCaller, prefix: string, limit: number, cursor?: string): Promise<{ rows: StoredItem[]; next?: string }> {
  const type = context.entityType;
  const partition = guestPartition(caller.tenant, caller.guest);
  const current = itemSortKey(type, appScope(caller.partnerId, caller.clientId), prefix);
  const partnerData = type === PARTNER_DATA;
  const legacy = itemSortKey(type, partnerData ? legacyAppScope(caller.clientId) : SHARED_SCOPE, prefix);
  const LEGACY_START = partnerData ? LEGACY_CURSOR : GUEST_WIDE_START;
  const visible = (row: DataItem) => partnerData
    ? isOwnLegacyItem(row, caller)
    : mayAccess({ ...row.governance, role: roleOf(type, context.sharedTypes) }, caller, context.relationState).allowed;
  const own = (rows: Row[]) => rows.map((row) => Item.parse(row)).filter(visible);
  const decoded = cursor && cursor !== LEGACY_START ? Buffer.from(cursor, 'base64url').toString('utf8') : undefined;
  if (cursor === undefined || decoded?.startsWith(current)) {
    const page = await queryPage(partition, current, limit, cursor);
    const rows = page.rows.map((row) => Item.parse(row));
    if (page.next) return { rows, next: page.next };
    if (rows.length >= limit) return { rows, next: LEGACY_START };
    const rest = await queryPage(partition, legacy, limit - rows.length);
    return { rows: [...rows, ...own(rest.rows)], next: rest.next };
  }
  const page = await queryPage(partition, legacy, limit, cursor === LEGACY_START ? undefined : cursor);
  return { rows: own(page.rows), next: page.next };
}

/** A listing page holds at most `limit` objects and about this many bytes of JSON (docs/profile.md, "Limits"). */
export const LIST_PAGE_BYTES = 1024 * 1024;

/** `GET /partnerdata?prefix=` (`/data/{entityType}?prefix=`): the caller's objects whose name starts with `prefix`, decrypted, paged by name. */
export async function listPartnerData(caller: AppCaller, prefix: string, limit: number, cursor?: string, entityType: string = PARTNER_DATA) {
  const context = await dataContext(caller, entityType, []);
  await recordRelationIfNew(context);
  const page = await pageOfRows(context, caller, prefix, limit, cursor);
  const items: ListedItem[] = [];
  let bytes = 0;
  for (const [index, row] of page.rows.entries()) {
    // Partner data of the app's scope is the caller's partner's by its key; the check stays as a second lock.
    if (entityType === PARTNER_DATA && row.governance.partnerId !== caller.partnerId) continue;
    const listed = { name: row.name, id: row.id, updatedAt: row.updatedAt, size: row.size, importedFrom: row.importedFrom?.sharingIdentifier };
    let entry: ListedItem;
    try {
      entry = { ...listed, data: await openItem(context, row) };
    } catch (error) {
      if ((error as { kind?: string }).kind !== 'Gone') throw error;
      entry = { ...listed, unreadable: (error as { code: string }).code };
    }
    // 100 objects of 64 KiB would be 6.5 MB, above Lambda's 6 MB: a page also ends at about 1 MiB of data.
    bytes += Buffer.byteLength(JSON.stringify(entry), 'utf8');
    if (items.length > 0 && bytes > LIST_PAGE_BYTES) {
      return { items, next: Buffer.from(String(page.rows[index - 1].SK), 'utf8').toString('base64url') };
    }
    items.push(entry);
  }
  return { items, next: page.next };
}

/**
 * `PartnerDataChanged`, for an object of any entity type written through the data API (`entityType` says which).
 * An imported copy's name is `{name}-{initials}`, the sharer's initials (decision 0305): the event then carries
 * no name; the copy is identified by `itemId` and `importedFrom`.
 */
export function changed(context: OperationContext, item: DataItem, change: 'created' | 'updated' | 'deleted') {
  return profileEvent('PartnerDataChanged', context.caller.tenant, {
    guest: context.caller.guest,
    consentReference: context.ref,
    partnerId: item.governance.partnerId ?? '',
    clientId: item.governance.clientId ?? '',
    ...(item.importedFrom ? {} : { name: item.name }),
    itemId: item.id,
    entityType: item.governance.entityType,
    change,
    version: item.version,
    importedFrom: item.importedFrom?.sharingIdentifier,
  });
}
