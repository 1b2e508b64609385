import type { AppCaller } from './caller.js';
import { requireUsable } from './consent-port.js';
import { loadContext, type OperationContext } from './context.js';
import { profileErrors } from './errors.js';
import { profileEvent } from './events.js';
import { addressOf, itemPut, itemScope, keyOf, openItem, sealItem, writeGuards } from './items.js';
import {
  appScope, ENTITY, guestPartition, importedKey, type ItemKey, legacyAppScope, legacyImportedKey, PARTNER_DATA, partnerDataPrefix,
  shareImportKey, shareKey,
} from './keys.js';
import type { DataItem, ImportedItem, ShareItem } from './model.js';
import { isOwnLegacyItem, partnerDataAddress } from './partner-data.js';
import { copyNameFor } from './policy.js';
import { isOpen } from './shares.js';
import { usageChange, usageKey, usageWrite } from './quota.js';
import { ConditionFailed, isConditionFailed, RACE, retry, transact } from '../platform/table/index.js';
import { Item, mainTable, queryAll, type TransactItem } from './store.js';
import { DomainError } from '../platform/errors.js';

/**
 * `PUT /import/{sharingIdentifier}`: copies a shared object into the importing guest's profile, under
 * the importer's own key, named `{name}-{initials}` (docs/profile.md, "Copy names"; decision 0303).
 *
 * An import writes only to the copy of THAT share for THAT importer and app, and never replaces anything else:
 * - the importer's pointer (`IMPORTED#<share>#<partner>#<app>`) is only a hint: it is trusted only while the item
 *   it names is still that copy (same id, `importedFrom` that share); otherwise the import makes a new copy;
 * - a new copy takes a free name atomically (a Put conditional on nothing being stored under that name; on a
 *   collision the next suffix);
 * - a refresh replaces the copy only as it was read (same id and version).
 * Each attempt is ONE transaction: the copy, the pointer (guarded as read), the import record (new or existing,
 * as read, so a guest is counted once), the share (active, not expired, below its maximum), the consent guards
 * and the event. A lost race re-reads and decides again; a refresh that lost to a concurrent refresh of the same
 * copy begun after this import started is already done (both copy the same shared object).
 */

export async function importShare(caller: AppCaller, sharingIdentifier: string): Promise<{ item: DataItem; refreshed: boolean }> {
  const startedAt = new Date().toISOString();
  return retry(() => attemptImport(caller, sharingIdentifier, startedAt), {
    policy: RACE,
    retryable: isConditionFailed,
    exhausted: () => profileErrors.concurrentChange(),
  });
}

async function attemptImport(caller: AppCaller, sharingIdentifier: string, startedAt: string): Promise<{ item: DataItem; refreshed: boolean }> {
  const { tenant, guest } = caller;
  const sKey = shareKey(tenant, sharingIdentifier);
  const pointerKey = importedKey(tenant, guest, sharingIdentifier, appScope(caller.partnerId, caller.clientId));
  const legacyPointerKey = legacyImportedKey(tenant, guest, sharingIdentifier);
  const recordKey = shareImportKey(tenant, sharingIdentifier, guest);
  const importer = await loadContext(caller, PARTNER_DATA, [sKey, pointerKey, legacyPointerKey, recordKey, usageKey(tenant, guest)]);
  const share = importer.row<ShareItem>(sKey);
  // Another partner's app, another tenant (other partition), withdrawn or unknown: all look the same.
  if (share?.status !== 'active' || share.partnerId !== caller.partnerId) throw profileErrors.shareNotFound();
  if (!isOpen(share)) throw profileErrors.shareExpired();
  if (share.sharer === caller.guest) throw profileErrors.ownShare();
  const counted = importer.row(recordKey) !== undefined;
  if (!counted && share.maxImports !== undefined && share.importCount >= share.maxImports) throw profileErrors.shareExhausted();

  const pointer = importer.row<ImportedItem>(pointerKey);
  const legacyPointer = importer.row<ImportedItem>(legacyPointerKey);
  // Where the pointer says this app's copy is (a pre-0302 pointer only for the app that made it).
  const hinted = pointer ?? (legacyPointer?.clientId === caller.clientId ? legacyPointer : undefined);
  const hintedKey = hinted ? copyKeyOf(caller, hinted) : undefined;
  const { data, json, hintedItem } = await readShared(caller, share, hintedKey);
  const copy = hintedItem && isCopyOf(hintedItem, caller, sharingIdentifier, hinted!) ? hintedItem : undefined;

  const writes = { caller, share, pointer, legacyPointer, counted };
  if (copy) {
    // Someone refreshed this very copy after this import began: it holds the shared object as of then.
    if (copy.importedFrom!.importedAt >= startedAt) return { item: copy, refreshed: true };
    const at = new Date().toISOString();
    const refreshed = await sealItem(importer, {
      address: addressOf(copy), data, json, existing: copy, importedFrom: { sharingIdentifier, importedAt: at },
    }, at);
    await transact([itemPut(refreshed, copy), ...importWrites(importer, writes, refreshed, true, at), await usageWrite(importer, usageChange(refreshed, copy))]);
    return { item: refreshed, refreshed: true };
  }

  // A first import through this app, or the copy the pointer named is gone or is no longer that copy.
  const taken = await takenNames(caller, share);
  for (;;) {
    const name = copyNameFor(share.name, share.initials, taken);
    if (!name) throw profileErrors.copyNamesExhausted();
    const at = new Date().toISOString();
    const created = await sealItem(importer, {
      address: partnerDataAddress(caller, name), data, json, importedFrom: { sharingIdentifier, importedAt: at },
    }, at);
    try {
      // Index 0: the copy, written only where nothing is stored under that name.
      await transact([itemPut(created), ...importWrites(importer, writes, created, false, at), await usageWrite(importer, usageChange(created, undefined))]);
      return { item: created, refreshed: false };
    } catch (error) {
      // Only the name was taken in between: try the next suffix; anything else re-reads from the start.
      if (!(error instanceof ConditionFailed) || error.indexes.length !== 1 || error.indexes[0] !== 0) throw error;
      taken.add(name);
    }
  }
}

/** The key of the item a pointer names: in the pointer's scope (pre-0302 pointers: the app's old scope). */
const copyKeyOf = (caller: AppCaller, pointer: ImportedItem): ItemKey =>
  keyOf(caller, { entityType: PARTNER_DATA, scope: pointer.scope ?? legacyAppScope(pointer.clientId), name: pointer.copyName });

/** The item still is the caller's copy of that share in the caller's app: never trust a stored pointer unchecked. */
function isCopyOf(item: DataItem, caller: AppCaller, sharingIdentifier: string, pointer: ImportedItem): boolean {
  if (item.importedFrom?.sharingIdentifier !== sharingIdentifier) return false;
  if (pointer.copyId !== undefined && item.id !== pointer.copyId) return false;
  const scope = itemScope(item);
  return scope === appScope(caller.partnerId, caller.clientId) || isOwnLegacyItem(item, caller);
}

/** Every name in the importer's app that starts with the copy's base name (also the app's pre-0302 objects). */
async function takenNames(caller: AppCaller, share: ShareItem): Promise<Set<string>> {
  const base = `${share.name}-${share.initials}`;
  const partition = guestPartition(caller.tenant, caller.guest);
  const [current, legacy] = await Promise.all([
    queryAll(partition, partnerDataPrefix(appScope(caller.partnerId, caller.clientId), base)),
    queryAll(partition, partnerDataPrefix(legacyAppScope(caller.clientId), base)),
  ]);
  const own = legacy.map((row) => Item.parse(row)).filter((row) => isOwnLegacyItem(row, caller));
  return new Set([...current.map((row) => String(row.name)), ...own.map((row) => row.name)]);
}

interface ImportState {
  readonly caller: AppCaller;
  readonly share: ShareItem;
  /** The importer's pointer for this app, as read (absent: none yet). */
  readonly pointer?: ImportedItem;
  readonly legacyPointer?: ImportedItem;
  /** Whether this guest had imported this share before (through any app), as read. */
  readonly counted: boolean;
}

/** Everything an import writes besides the copy, each guarded by what was read. */
function importWrites(importer: OperationContext, state: ImportState, copy: DataItem, refreshed: boolean, at: string): TransactItem[] {
  const { caller, share, pointer, legacyPointer, counted } = state;
  const writes: TransactItem[] = [
    ...writeGuards(importer, copy.sealedWith.grantBlob),
    pointerPut(caller, share, copy, pointer, at),
    importRecord(caller, share, copy.name, counted, at),
    shareGuard(share, !counted, at),
    profileEvent('PartnerDataImported', caller.tenant, {
      sharingIdentifier: share.sharingIdentifier, sharer: share.sharer, importer: caller.guest, partnerId: caller.partnerId,
      clientId: caller.clientId, sharedName: share.name, itemId: copy.id, version: copy.version, refreshed,
    }),
  ];
  // The pre-0302 pointer of this app gives way to the app's own pointer.
  if (legacyPointer?.clientId === caller.clientId) {
    writes.push({
      Delete: {
        TableName: mainTable(), Key: legacyImportedKey(caller.tenant, caller.guest, share.sharingIdentifier),
        ConditionExpression: 'copyName = :name', ExpressionAttributeValues: { ':name': legacyPointer.copyName },
      },
    });
  }
  return writes;
}

/** The app's pointer to its copy; replaced only as it was read (another import in between fails this one). */
function pointerPut(caller: AppCaller, share: ShareItem, copy: DataItem, previous: ImportedItem | undefined, at: string): TransactItem {
  const scope = appScope(caller.partnerId, caller.clientId);
  const item: ImportedItem = {
    sharingIdentifier: share.sharingIdentifier, clientId: caller.clientId, scope, copyName: copy.name, copyId: copy.id, sharer: share.sharer, importedAt: at,
  };
  return {
    Put: {
      TableName: mainTable(),
      Item: { ...importedKey(caller.tenant, caller.guest, share.sharingIdentifier, scope), entityType: ENTITY.imported, partnerId: caller.partnerId, ...item },
      ConditionExpression: previous ? 'importedAt = :previous' : 'attribute_not_exists(PK)',
      ExpressionAttributeValues: previous ? { ':previous': previous.importedAt } : undefined,
    },
  };
}

/** The guest's import record on the share: created by their first import only (so they are counted once). */
function importRecord(caller: AppCaller, share: ShareItem, copyName: string, counted: boolean, at: string): TransactItem {
  return {
    Update: {
      TableName: mainTable(),
      Key: shareImportKey(caller.tenant, share.sharingIdentifier, caller.guest),
      UpdateExpression: 'SET entityType = :entity, sharingIdentifier = :id, importer = :importer, copyName = :copy, clientId = :client, '
        + 'firstImportedAt = if_not_exists(firstImportedAt, :at), lastImportedAt = :at ADD imports :one',
      ConditionExpression: counted ? 'attribute_exists(PK)' : 'attribute_not_exists(PK)',
      ExpressionAttributeValues: {
        ':entity': ENTITY.shareImport, ':id': share.sharingIdentifier, ':importer': caller.guest, ':copy': copyName,
        ':client': caller.clientId, ':at': at, ':one': 1,
      },
    },
  };
}

/** Counts a new importing guest (refreshes and further apps do not count), guarded: active, not expired, not exhausted. */
function shareGuard(share: ShareItem, newImporter: boolean, at: string): TransactItem {
  const open = '#status = :active AND (attribute_not_exists(shareExpiresAt) OR shareExpiresAt > :at)';
  const Key = shareKey(share.tenant, share.sharingIdentifier);
  if (!newImporter) {
    return {
      ConditionCheck: {
        TableName: mainTable(), Key, ConditionExpression: open,
        ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':active': 'active', ':at': at },
      },
    };
  }
  return {
    Update: {
      TableName: mainTable(),
      Key,
      UpdateExpression: 'ADD importCount :one',
      ConditionExpression: `${open} AND (attribute_not_exists(maxImports) OR importCount < maxImports)`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active', ':at': at, ':one': 1 },
    },
  };
}

/** The sharer's object, decrypted under the sharer's consent; and the item the importer's pointer names, in one BatchGet. */
async function readShared(caller: AppCaller, share: ShareItem, hintedKey: ItemKey | undefined) {
  const sharer = { tenant: caller.tenant, guest: share.sharer };
  const originalKey = keyOf(sharer, { entityType: PARTNER_DATA, scope: share.scope ?? legacyAppScope(share.clientId), name: share.name });
  let context: OperationContext;
  try {
    context = await loadContext(sharer, PARTNER_DATA, hintedKey ? [originalKey, hintedKey] : [originalKey]);
  } catch (error) {
    throw hideSharer(error);
  }
  const original = context.row<DataItem>(originalKey);
  // The shared object itself: an object re-created under its name is another one (deleting withdraws shares, too).
  if (!original || (share.itemId !== undefined && original.id !== share.itemId)) throw profileErrors.sharedObjectUnavailable();
  const hintedItem = hintedKey ? context.row<DataItem>(hintedKey) : undefined;
  try {
    requireUsable(context.consent, context.ref, PARTNER_DATA);
    const data = await openItem(context, original);
    return { data, json: JSON.stringify(data), hintedItem };
  } catch (error) {
    throw hideSharer(error);
  }
}

/** The sharer's consent state (revoked, blocked, erased) is theirs: the importer only learns "unavailable". */
const hideSharer = (error: unknown) => (error instanceof DomainError ? profileErrors.sharedObjectUnavailable() : error);
