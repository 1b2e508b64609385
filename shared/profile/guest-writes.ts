import type { GuestCaller } from './caller.js';
import { profileErrors } from './errors.js';
import { type ItemAddress, keyOf } from './items.js';
import { guestPartition, IMPORTED_SK_PREFIX, legacyAppScope, PARTNER_DATA } from './keys.js';
import type { DataItem } from './model.js';
import { dataContext, deleteFound, deletionKeys, retrying } from './partner-data.js';
import { pointerDelete } from './share-writes.js';
import { Imported, queryAll, type StoredImported } from './store.js';
import { transact } from '../platform/table/index.js';

/**
 * The guest's own writes on what they hold, whichever app wrote it (`/me/…`): they act as the owner of the
 * profile (as on the platform's pages), so a token of any app of the tenant reaches everything the guest owns
 * and nothing of anyone else (every key read is in the caller's own partition). Each finds its object its own
 * way and then calls the same domain write as the app's route.
 */
const owner = (caller: GuestCaller): GuestCaller => ({ tenant: caller.tenant, guest: caller.guest });

/**
 * `DELETE /me/imports/{sharingIdentifier}`: deletes the copies the guest holds of that share (one per app it was
 * imported through; normally one), each with the app's deletion (`deleteFound`: its own share, the event, the
 * quota, its pointers). Nothing of that share held: 404 `ImportNotFound`.
 */
export async function deleteMyCopies(caller: GuestCaller, sharingIdentifier: string): Promise<void> {
  const guest = owner(caller);
  const next = () => retrying(() => deleteNextCopy(guest, sharingIdentifier));
  if (!(await next())) throw profileErrors.importNotFound();
  while (await next());
}

/**
 * One copy of the share (or the stale pointers, when no copy is left): false when the guest holds nothing of
 * it. Pointers are hints: a copy counts only while the item a pointer names still is a copy of this share (its
 * `importedFrom`, and its id where recorded). Each copy is its own transaction (each writes the guest's usage row).
 */
async function deleteNextCopy(guest: GuestCaller, sharingIdentifier: string): Promise<boolean> {
  const pointers = (await queryAll(guestPartition(guest.tenant, guest.guest), `${IMPORTED_SK_PREFIX}${sharingIdentifier}`))
    .map((row) => ({ ...Imported.parse(row), PK: String(row.PK), SK: String(row.SK) }))
    // Sharing identifiers have one length, so the prefix matches this share's pointers only; checked anyway.
    .filter((pointer) => pointer.sharingIdentifier === sharingIdentifier);
  if (pointers.length === 0) return false;
  const candidates = pointers.flatMap((pointer) => copyAddresses(pointer).map((address) => ({ pointer, address, key: keyOf(guest, address) })));
  const context = await dataContext(guest, PARTNER_DATA, candidates.flatMap(({ address, key }) => [key, ...deletionKeys(guest, address)]));
  for (const { pointer, address, key } of candidates) {
    const item = context.row<DataItem>(key);
    if (item && isCopy(item, pointer, sharingIdentifier)) {
      await deleteFound(context, { address, key, item });
      return true;
    }
  }
  // Only pointers whose copies were deleted before deletions took their pointers along: they leave the guest's view.
  await transact(pointers.map(pointerDelete));
  return true;
}

/**
 * Where a pointer says its copy is: the pointer's scope (the importing partner and app); a copy made before
 * decision 0302 lives at the app's old scope, and a refresh through the app may have given its pointer the new one.
 */
function copyAddresses(pointer: StoredImported): ItemAddress[] {
  const legacy: ItemAddress = { entityType: PARTNER_DATA, scope: legacyAppScope(pointer.clientId), name: pointer.copyName };
  return pointer.scope ? [{ entityType: PARTNER_DATA, scope: pointer.scope, name: pointer.copyName }, legacy] : [legacy];
}

/** The item still is the copy the pointer names: never trust a stored pointer unchecked. */
const isCopy = (item: DataItem, pointer: StoredImported, sharingIdentifier: string): boolean =>
  item.importedFrom?.sharingIdentifier === sharingIdentifier && (pointer.copyId === undefined || pointer.copyId === item.id);
