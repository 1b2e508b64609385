import type { AppCaller } from './caller.js';
import { requireUsable } from './consent-port.js';
import { loadContext, type OperationContext } from './context.js';
import { profileErrors } from './errors.js';
import { profileEvent } from './events.js';
import { itemPut, keyOf, openItem, sealItem, writeGuards } from './items.js';
import { ENTITY, guestPartition, importedKey, PARTNER_DATA, partnerDataPrefix, shareImportKey, shareKey } from './keys.js';
import type { DataItem, ImportedItem, ShareItem } from './model.js';
import { partnerDataAddress, retrying } from './partner-data.js';
import { copyNameFor } from './policy.js';
import { isOpen } from './shares.js';
import { mainTable, queryAll, type TransactItem, transact } from './store.js';
import { DomainError } from '../platform/errors.js';

/**
 * `PUT /import/{sharingIdentifier}`: copies a shared object into the importing guest's profile, under
 * the importer's own key, named `{name}-{initials}` (docs/profile.md, "Copy names"). The copy is
 * disconnected from the original; importing the same share again refreshes that copy in place.
 * Reads first, then ONE transaction: the copy, the importer's pointer, the import record, the share's
 * import count (guarded: still active, not expired, below its maximum), the consent guards and the event.
 */
export async function importShare(caller: AppCaller, sharingIdentifier: string): Promise<{ item: DataItem; refreshed: boolean }> {
  return retrying(async () => {
    const sKey = shareKey(caller.tenant, sharingIdentifier);
    const pointerKey = importedKey(caller.tenant, caller.guest, sharingIdentifier);
    const importer = await loadContext(caller, PARTNER_DATA, [sKey, pointerKey]);
    const share = importer.row<ShareItem>(sKey);
    // Another partner's app, another tenant (other partition), withdrawn or unknown: all look the same.
    if (share?.status !== 'active' || share.partnerId !== caller.partnerId) throw profileErrors.shareNotFound();
    if (!isOpen(share)) throw profileErrors.shareExpired();
    if (share.sharer === caller.guest) throw profileErrors.ownShare();
    const previous = importer.row<ImportedItem>(pointerKey);
    if (!previous && share.maxImports !== undefined && share.importCount >= share.maxImports) throw profileErrors.shareExhausted();

    const copyName = previous?.copyName ?? (await freeCopyName(caller, share));
    const copyKey = keyOf(caller, partnerDataAddress(caller, copyName));
    const { data, json, existingCopy } = await readShared(caller, share, copyKey);
    const at = new Date().toISOString();
    const copy = await sealItem(importer, {
      address: partnerDataAddress(caller, copyName), data, json,
      existing: existingCopy, importedFrom: { sharingIdentifier, importedAt: at },
    }, at);
    await transact([
      itemPut(copy, existingCopy),
      ...writeGuards(importer, copy.sealedWith.grantBlob),
      pointerPut(caller, share, copyName, at),
      importRecord(caller, share, copyName, at),
      countImport(share, !previous, at),
      profileEvent('PartnerDataImported', caller.tenant, {
        sharingIdentifier, sharer: share.sharer, importer: caller.guest, partnerId: caller.partnerId,
        clientId: caller.clientId, name: copyName, itemId: copy.id, refreshed: previous !== undefined,
      }),
    ]);
    return { item: copy, refreshed: previous !== undefined };
  });
}

/** The sharer's object, decrypted under the sharer's consent; and the importer's current copy, in one BatchGet. */
async function readShared(caller: AppCaller, share: ShareItem, copyKey: ReturnType<typeof keyOf>) {
  const sharer = { tenant: caller.tenant, guest: share.sharer };
  const originalKey = keyOf(sharer, { entityType: PARTNER_DATA, scope: share.clientId, name: share.name });
  let context: OperationContext;
  try {
    context = await loadContext(sharer, PARTNER_DATA, [originalKey, copyKey]);
  } catch (error) {
    throw hideSharer(error);
  }
  const original = context.row<DataItem>(originalKey);
  if (!original) throw profileErrors.sharedObjectUnavailable();
  const existingCopy = context.row<DataItem>(copyKey);
  try {
    requireUsable(context.consent, context.ref, PARTNER_DATA);
    const data = await openItem(context, original);
    return { data, json: JSON.stringify(data), existingCopy };
  } catch (error) {
    throw hideSharer(error);
  }
}

/** The sharer's consent state (revoked, blocked, erased) is theirs: the importer only learns "unavailable". */
const hideSharer = (error: unknown) => (error instanceof DomainError ? profileErrors.sharedObjectUnavailable() : error);

async function freeCopyName(caller: AppCaller, share: ShareItem): Promise<string> {
  const base = `${share.name}-${share.initials}`;
  const rows = await queryAll(guestPartition(caller.tenant, caller.guest), partnerDataPrefix(caller.clientId, base));
  const name = copyNameFor(share.name, share.initials, new Set(rows.map((row) => String(row.name))));
  if (!name) throw profileErrors.copyNamesExhausted();
  return name;
}

function pointerPut(caller: AppCaller, share: ShareItem, copyName: string, at: string): TransactItem {
  const item: ImportedItem = { sharingIdentifier: share.sharingIdentifier, clientId: caller.clientId, copyName, sharer: share.sharer, importedAt: at };
  return { Put: { TableName: mainTable(), Item: { ...importedKey(caller.tenant, caller.guest, share.sharingIdentifier), entityType: ENTITY.imported, ...item } } };
}

function importRecord(caller: AppCaller, share: ShareItem, copyName: string, at: string): TransactItem {
  return {
    Update: {
      TableName: mainTable(),
      Key: shareImportKey(caller.tenant, share.sharingIdentifier, caller.guest),
      UpdateExpression: 'SET entityType = :entity, sharingIdentifier = :id, importer = :importer, copyName = :copy, '
        + 'firstImportedAt = if_not_exists(firstImportedAt, :at), lastImportedAt = :at ADD imports :one',
      ExpressionAttributeValues: {
        ':entity': ENTITY.shareImport, ':id': share.sharingIdentifier, ':importer': caller.guest, ':copy': copyName, ':at': at, ':one': 1,
      },
    },
  };
}

/** Counts a new importer (refreshes do not count), guarded: the share is active, not expired, not exhausted. */
function countImport(share: ShareItem, newImporter: boolean, at: string): TransactItem {
  const open = '#status = :active AND (attribute_not_exists(shareExpiresAt) OR shareExpiresAt > :at)';
  return {
    Update: {
      TableName: mainTable(),
      Key: shareKey(share.tenant, share.sharingIdentifier),
      UpdateExpression: newImporter ? 'ADD importCount :one' : 'SET lastImportAt = :at',
      ConditionExpression: newImporter ? `${open} AND (attribute_not_exists(maxImports) OR importCount < maxImports)` : open,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: newImporter ? { ':active': 'active', ':at': at, ':one': 1 } : { ':active': 'active', ':at': at },
    },
  };
}
