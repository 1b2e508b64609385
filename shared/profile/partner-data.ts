import type { AppCaller } from './caller.js';
import { loadContext, type OperationContext } from './context.js';
import { profileErrors } from './errors.js';
import { profileEvent } from './events.js';
import { type ItemAddress, itemDelete, itemPut, itemScope, keyOf, openItem, sealItem, visibleItem, writeGuards } from './items.js';
import { appScope, isLegacyScope, type ItemKey, legacyAppScope, PARTNER_DATA, partnerDataPrefix, guestPartition, sharePointerKey } from './keys.js';
import type { DataItem, SharePointerItem } from './model.js';
import { usageChange, usageKey, usageWrite } from './quota.js';
import { noShare, withdrawal } from './share-writes.js';
import { recordRelationIfNew } from './relations.js';
import { ConditionFailed, queryPage, type Row, transact } from './store.js';
import { DomainError } from '../platform/errors.js';

/** The documented limit of one partner-data object: 64 KiB of JSON (UTF-8). */
export const PARTNER_DATA_MAX_BYTES = 64 * 1024;

/** Where a new object of the caller's partner and app lives: scope `<partnerId>#<clientId>` (decision 0302). */
export const partnerDataAddress = (caller: AppCaller, name: string): ItemAddress =>
  ({ entityType: PARTNER_DATA, scope: appScope(caller.partnerId, caller.clientId), name });
const legacyAddress = (caller: AppCaller, name: string): ItemAddress => ({ entityType: PARTNER_DATA, scope: legacyAppScope(caller.clientId), name });

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

/** The keys to read (in the operation's one BatchGet) to find the caller's object `name`: its key, and the pre-0302 key. */
export const slotKeys = (caller: AppCaller, name: string): ItemKey[] =>
  [keyOf(caller, partnerDataAddress(caller, name)), keyOf(caller, legacyAddress(caller, name))];

/** The caller's object from the rows read: at its partner-and-app key, else an own object at the pre-0302 key. */
export function slotOf(context: OperationContext, caller: AppCaller, name: string): Slot {
  const address = partnerDataAddress(caller, name);
  const key = keyOf(caller, address);
  const item = context.row<DataItem>(key);
  if (item) return { address, key, item };
  const old = legacyAddress(caller, name);
  const oldKey = keyOf(caller, old);
  const legacy = context.row<DataItem>(oldKey);
  if (legacy && isOwnLegacyItem(legacy, caller)) return { address: old, key: oldKey, item: legacy };
  return { address, key };
}

/** The share pointer keys of the caller's object `name` (new scope and pre-0302), for the same BatchGet. */
export const sharePointerKeys = (caller: AppCaller, name: string): ItemKey[] => [
  sharePointerKey(caller.tenant, caller.guest, appScope(caller.partnerId, caller.clientId), name),
  sharePointerKey(caller.tenant, caller.guest, legacyAppScope(caller.clientId), name),
];

/**
 * `If-Match` as the partner API reads it (shared/partner/representation.ts): absent accepts anything; `*`
 * needs the object to exist; otherwise one of the listed ETags (weak or strong) must be the current version.
 */
export function requireIfMatch(header: string | undefined, item: DataItem | undefined, name: string): void {
  if (header === undefined) return;
  const accepted = header.trim() === '*'
    ? item !== undefined
    : item !== undefined && header.split(',').map((t) => t.trim().replace(/^W\//, '')).includes(`"${item.version}"`);
  if (!accepted) {
    throw new DomainError('PreconditionFailed', `Partner data ${name} was changed or removed since it was read (If-Match)`, 'PartnerDataVersionMismatch');
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
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      if (i + 1 >= tries) throw profileErrors.concurrentChange();
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * 2 ** i));
    }
  }
}

export interface ReadPartnerData {
  readonly item: DataItem;
  readonly data: unknown;
}

/** One BatchGetItem (item, consent, keys, partner, relation) and, with a warm key cache, no KMS call. */
export async function getPartnerData(caller: AppCaller, name: string): Promise<ReadPartnerData> {
  const context = await loadContext(caller, PARTNER_DATA, slotKeys(caller, name));
  await recordRelationIfNew(context);
  const slot = slotOf(context, caller, name);
  const item = visibleItem(context, slot.key, () => profileErrors.itemNotFound(name));
  return { item, data: await openItem(context, item) };
}

/**
 * Creates or replaces the caller's object. `ifMatch` (the request's `If-Match`) makes a write based on a
 * stale read a 412. An imported copy keeps its link (`importedFrom`) when its owner edits it (decision 0303):
 * a later import of the same share refreshes it.
 */
export async function putPartnerData(caller: AppCaller, name: string, data: unknown, ifMatch?: string): Promise<{ item: DataItem; created: boolean }> {
  const json = serialise(data);
  return retrying(async () => {
    const context = await loadContext(caller, PARTNER_DATA, [...slotKeys(caller, name), usageKey(caller.tenant, caller.guest)]);
    const { address, key, item: found } = slotOf(context, caller, name);
    const existing = found ? visibleItem(context, key, () => profileErrors.itemNotFound(name)) : undefined;
    requireIfMatch(ifMatch, existing, name);
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
export async function deletePartnerData(caller: AppCaller, name: string, ifMatch?: string): Promise<void> {
  await retrying(async () => {
    const context = await loadContext(caller, PARTNER_DATA, [...slotKeys(caller, name), ...sharePointerKeys(caller, name), usageKey(caller.tenant, caller.guest)]);
    const { address, key } = slotOf(context, caller, name);
    const existing = visibleItem(context, key, () => profileErrors.itemNotFound(name));
    requireIfMatch(ifMatch, existing, name);
    // The object's share pointer is keyed by the object's own scope.
    const pointerKey = sharePointerKey(caller.tenant, caller.guest, address.scope, name);
    const pointer = context.row<SharePointerItem>(pointerKey);
    const share = pointer ? withdrawal(caller.tenant, caller.guest, pointer, 'objectDeleted', caller.partnerId) : [noShare(pointerKey)];
    // Deleting needs no consent (the guest may always get rid of data), only an unblocked reference.
    await transact([
      itemDelete(key, existing), ...share, ...writeGuards(context), changed(context, existing, 'deleted'),
      await usageWrite(context, usageChange(undefined, existing)),
    ]);
  });
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

/** The cursor that starts the second part of a listing (objects written before decision 0302). */
const LEGACY_START = Buffer.from('\u0000legacy', 'utf8').toString('base64url');

/**
 * One page of the caller's objects below `prefix`: first those at the partner-and-app key (by name), then
 * the caller's own objects written before decision 0302 (at the app's old key; by name). The cursor is the
 * last sort key read, so it tells which part to continue.
 */
async function pageOfRows(caller: AppCaller, prefix: string, limit: number, cursor?: string): Promise<{ rows: DataItem[]; next?: string }> {
  const partition = guestPartition(caller.tenant, caller.guest);
  const current = partnerDataPrefix(appScope(caller.partnerId, caller.clientId), prefix);
  const legacy = partnerDataPrefix(legacyAppScope(caller.clientId), prefix);
  const own = (rows: Row[]) => (rows as unknown as DataItem[]).filter((row) => isOwnLegacyItem(row, caller));
  const decoded = cursor && cursor !== LEGACY_START ? Buffer.from(cursor, 'base64url').toString('utf8') : undefined;
  if (cursor === undefined || decoded?.startsWith(current)) {
    const page = await queryPage(partition, current, limit, cursor);
    const rows = page.rows as unknown as DataItem[];
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

/** `GET /partnerdata?prefix=`: the app's objects whose name starts with `prefix`, decrypted, paged by name. */
export async function listPartnerData(caller: AppCaller, prefix: string, limit: number, cursor?: string) {
  const context = await loadContext(caller, PARTNER_DATA);
  await recordRelationIfNew(context);
  const page = await pageOfRows(caller, prefix, limit, cursor);
  const items: ListedItem[] = [];
  let bytes = 0;
  for (const [index, row] of page.rows.entries()) {
    if (row.governance.partnerId !== caller.partnerId) continue;
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
      return { items, next: Buffer.from(String((page.rows[index - 1] as unknown as Row).SK), 'utf8').toString('base64url') };
    }
    items.push(entry);
  }
  return { items, next: page.next };
}

export function changed(context: OperationContext, item: DataItem, change: 'created' | 'updated' | 'deleted') {
  return profileEvent('PartnerDataChanged', context.caller.tenant, {
    guest: context.caller.guest,
    consentReference: context.ref,
    partnerId: item.governance.partnerId ?? '',
    clientId: item.governance.clientId ?? '',
    name: item.name,
    itemId: item.id,
    entityType: item.governance.entityType,
    change,
    importedFrom: item.importedFrom?.sharingIdentifier,
  });
}
