import { createHash, randomUUID } from 'node:crypto';
import type { AppCaller, GuestCaller } from './caller.js';
import { currentGrant, unreadableReason } from './consent-port.js';
import { loadContext } from './context.js';
import { profileErrors } from './errors.js';
import { profileEvent } from './events.js';
import { visibleItem } from './items.js';
import { ENTITY, guestPartition, IMPORT_SK_PREFIX, type ItemKey, PARTNER_DATA, SHARE_POINTER_SK_PREFIX, shareKey, sharePartition, sharePointerKey } from './keys.js';
import type { ShareImportItem, ShareItem, SharePointerItem } from './model.js';
import { retrying, sharePointerKeys, slotKeys, slotOf } from './partner-data.js';
import { initialsOf } from './policy.js';
import { withdrawal } from './share-writes.js';
import { transact } from '../platform/table/index.js';
import { mainTable, queryAll, readRows, Share, ShareImport, SharePointer, type StoredShare } from './store.js';

/**
 * Shares of partner data: a guest lets friends import a copy of one object (docs/profile.md, "Sharing").
 * A share lives in its own partition (found by its identifier with one read); the sharer's partition
 * holds a pointer per shared object, so repeating a share returns the same active share.
 */
export interface ShareOptions {
  readonly expiresAt?: string;
  readonly maxImports?: number;
}

export const isOpen = (share: ShareItem | undefined, now = new Date()): share is ShareItem =>
  share?.status === 'active' && (!share.shareExpiresAt || share.shareExpiresAt > now.toISOString());

export async function shareObject(caller: AppCaller, name: string, options: ShareOptions): Promise<{ share: ShareItem; created: boolean }> {
  if (options.expiresAt && options.expiresAt <= new Date().toISOString()) throw profileErrors.invalidExpiry();
  return retrying(async () => {
    const context = await loadContext(caller, PARTNER_DATA, [...slotKeys(caller, name), ...sharePointerKeys(caller, name)]);
    const { address, key } = slotOf(context, caller, name);
    const item = visibleItem(context, key, () => profileErrors.itemNotFound(name));
    // The object's share pointer is keyed by the object's own scope (its partner and app).
    const pointerKey = sharePointerKey(caller.tenant, caller.guest, address.scope, name);
    // Data an alias sealed before a merge stays readable by its owner (decision 0204) but is shared only
    // once written again under the merged profile: say so, never claim a revoke that did not happen.
    if (item.sealedWith.consentReference !== context.ref) throw profileErrors.sealedBeforeMerge(name);
    // Friends can only import what can still be decrypted, under a consent that is granted now.
    const reason = unreadableReason(context.consent, item.sealedWith.grantBlob);
    if (reason) throw profileErrors.unreadable(PARTNER_DATA, reason);
    currentGrant(context.consent, context.ref, PARTNER_DATA);
    const pointer = context.row<SharePointerItem>(pointerKey);
    const current = pointer ? (await readRows([shareKey(caller.tenant, pointer.sharingIdentifier)])).main(shareKey(caller.tenant, pointer.sharingIdentifier)) as ShareItem | undefined : undefined;
    if (isOpen(current)) return { share: current, created: false };
    const share: ShareItem = {
      tenant: caller.tenant, sharingIdentifier: randomUUID(), sharer: caller.guest, partnerId: caller.partnerId, clientId: caller.clientId,
      scope: address.scope, itemId: item.id, name, initials: initialsOf(caller.givenName, caller.familyName), status: 'active', shareExpiresAt: options.expiresAt,
      maxImports: options.maxImports, importCount: 0, createdAt: new Date().toISOString(),
    };
    await transact([
      // The object still exists (a delete in between withdraws shares; a share made after it must fail).
      { ConditionCheck: { TableName: mainTable(), Key: key, ConditionExpression: '#id = :id', ExpressionAttributeNames: { '#id': 'id' }, ExpressionAttributeValues: { ':id': item.id } } },
      { Put: { TableName: mainTable(), Item: { ...shareKey(caller.tenant, share.sharingIdentifier), entityType: ENTITY.share, ...share }, ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Put: {
          TableName: mainTable(),
          Item: {
            ...pointerKey, entityType: ENTITY.sharePointer, sharingIdentifier: share.sharingIdentifier, clientId: caller.clientId,
            partnerId: caller.partnerId, scope: address.scope, name,
          },
          ConditionExpression: pointer ? 'sharingIdentifier = :previous' : 'attribute_not_exists(PK)',
          ExpressionAttributeValues: pointer ? { ':previous': pointer.sharingIdentifier } : undefined,
        },
      },
      profileEvent('PartnerDataShared', caller.tenant, {
        guest: caller.guest, partnerId: caller.partnerId, clientId: caller.clientId, name, itemId: item.id,
        sharingIdentifier: share.sharingIdentifier, expiresAt: share.shareExpiresAt, maxImports: share.maxImports,
      }),
    ]);
    return { share, created: true };
  });
}

/**
 * Withdraws the active share of the caller's object: imports refuse it from now on (404); copies already made
 * stay. Only the share of the caller's own partner and app: a pointer written before decision 0302 (keyed by
 * the app alone) counts only when its share was made by the caller's partner.
 */
export async function withdrawShare(caller: AppCaller, name: string): Promise<void> {
  const [currentKey, legacyKey] = sharePointerKeys(caller, name) as [ItemKey, ItemKey];
  await withdrawFound(caller, async () => {
    const rows = await readRows([currentKey, legacyKey]);
    const pointer = (rows.main(currentKey) ?? (await ownLegacyPointer(caller, rows.main(legacyKey) as SharePointerItem | undefined))) as SharePointerItem | undefined;
    return pointer && { pointer, partnerId: caller.partnerId };
  });
}

/**
 * `DELETE /me/shares/{sharingIdentifier}`: the guest withdraws a share they made, whichever app made it (the
 * same withdrawal as the app's). The share names its sharer and its object; the sharer's pointer of that
 * object must still name this share. Another guest's share, another tenant's, a withdrawn or unknown one: 404.
 */
export async function withdrawMyShare(caller: GuestCaller, sharingIdentifier: string): Promise<void> {
  const key = shareKey(caller.tenant, sharingIdentifier);
  await withdrawFound(caller, async () => {
    const share = (await readRows([key])).main(key) as ShareItem | undefined;
    if (share?.sharer !== caller.guest || share.status !== 'active') return undefined;
    const pointerKey = sharePointerKey(caller.tenant, caller.guest, share.scope ?? share.clientId, share.name);
    const pointer = (await readRows([pointerKey])).main(pointerKey) as SharePointerItem | undefined;
    return pointer?.sharingIdentifier === sharingIdentifier ? { pointer, partnerId: share.partnerId } : undefined;
  });
}

/**
 * THE withdrawal, however the share was found: the pointer as read goes, the share is marked withdrawn and
 * `ShareWithdrawn` (reason `guest`) commits with it. A concurrent withdrawal makes the pointer's condition
 * fail: the next attempt finds nothing (404), so one share is withdrawn, and announced, once.
 */
async function withdrawFound(caller: GuestCaller, find: () => Promise<{ pointer: SharePointerItem; partnerId: string } | undefined>): Promise<void> {
  await retrying(async () => {
    const found = await find();
    if (!found) throw profileErrors.shareNotFound();
    await transact(withdrawal(caller.tenant, caller.guest, found.pointer, 'guest', found.partnerId));
  }, WITHDRAWAL_TRIES);
}

/** A lost race re-reads and then finds the share withdrawn; a few more tries absorb a burst of parallel calls. */
const WITHDRAWAL_TRIES = 6;

async function ownLegacyPointer(caller: AppCaller, pointer: SharePointerItem | undefined): Promise<SharePointerItem | undefined> {
  if (!pointer) return undefined;
  const key = shareKey(caller.tenant, pointer.sharingIdentifier);
  const share = (await readRows([key])).main(key) as ShareItem | undefined;
  return share?.partnerId === caller.partnerId ? pointer : undefined;
}

export interface ShareView {
  readonly share: ShareItem;
  readonly imports: ShareImportItem[];
}

/** The guest's active shares and who imported them; through a partner app only that app's shares. */
export async function listShares(caller: GuestCaller): Promise<ShareView[]> {
  const pointers = (await queryAll(guestPartition(caller.tenant, caller.guest), SHARE_POINTER_SK_PREFIX)).map((row) => SharePointer.parse(row));
  const mine = pointers.filter((p) => !caller.clientId || (p.clientId === caller.clientId && (p.partnerId === undefined || p.partnerId === caller.partnerId)));
  if (mine.length === 0) return [];
  const rows = await readRows(mine.map((p) => shareKey(caller.tenant, p.sharingIdentifier)));
  const shares = mine.map((p) => Share.parseOptional(rows.main(shareKey(caller.tenant, p.sharingIdentifier))));
  const active = shares.filter((s): s is StoredShare => s?.status === 'active' && (!caller.partnerId || s.partnerId === caller.partnerId));
  return Promise.all(active.map(async (share) => ({
    share,
    imports: (await queryAll(sharePartition(caller.tenant, share.sharingIdentifier), IMPORT_SK_PREFIX)).map((row) => ShareImport.parse(row)),
  })));
}

/**
 * How a sharer sees one import of their share: a pseudonym stable within this share (to tell importers
 * apart and count repeats), never the importer's account id, which is another person's identifier and
 * would let the sharer's partner app link the friend across shares.
 */
export function importView(share: ShareItem, imported: ShareImportItem) {
  const importer = createHash('sha256').update(`${share.tenant}\u0000${share.sharingIdentifier}\u0000${imported.importer}`).digest('base64url').slice(0, 16);
  return { importer, copyName: imported.copyName, firstImportedAt: imported.firstImportedAt, lastImportedAt: imported.lastImportedAt };
}

/** What the guest sees of one of their shares, in `/shares` and in the export alike. */
export function shareSummary({ share, imports }: ShareView) {
  return {
    sharingIdentifier: share.sharingIdentifier,
    name: share.name,
    partnerId: share.partnerId,
    clientId: share.clientId,
    createdAt: share.createdAt,
    expiresAt: share.shareExpiresAt,
    maxImports: share.maxImports,
    importedBy: imports.map((i) => importView(share, i)),
  };
}
