import type { AppCaller } from './caller.js';
import { loadContext, type OperationContext } from './context.js';
import { profileErrors } from './errors.js';
import { profileEvent } from './events.js';
import { type ItemAddress, itemDelete, itemPut, keyOf, openItem, sealItem, visibleItem, writeGuards } from './items.js';
import { PARTNER_DATA, partnerDataPrefix, guestPartition, sharePointerKey } from './keys.js';
import type { DataItem, SharePointerItem } from './model.js';
import { noShare, withdrawal } from './share-writes.js';
import { recordRelationIfNew } from './relations.js';
import { ConditionFailed, queryPage, transact } from './store.js';

/** The documented limit of one partner-data object: 64 KiB of JSON (UTF-8). */
export const PARTNER_DATA_MAX_BYTES = 64 * 1024;

export const partnerDataAddress = (caller: AppCaller, name: string): ItemAddress => ({ entityType: PARTNER_DATA, scope: caller.clientId, name });

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
  const address = partnerDataAddress(caller, name);
  const context = await loadContext(caller, PARTNER_DATA, [keyOf(caller, address)]);
  await recordRelationIfNew(context);
  const item = visibleItem(context, keyOf(caller, address), () => profileErrors.itemNotFound(name));
  return { item, data: await openItem(context, item) };
}

export async function putPartnerData(caller: AppCaller, name: string, data: unknown): Promise<{ item: DataItem; created: boolean }> {
  const json = serialise(data);
  return retrying(async () => {
    const address = partnerDataAddress(caller, name);
    const context = await loadContext(caller, PARTNER_DATA, [keyOf(caller, address)]);
    const key = keyOf(caller, address);
    const existing = context.row<DataItem>(key) ? visibleItem(context, key, () => profileErrors.itemNotFound(name)) : undefined;
    const at = new Date().toISOString();
    const item = await sealItem(context, { address, data, json, existing }, at);
    await transact([
      itemPut(item, existing),
      ...writeGuards(context, item.sealedWith.grantBlob),
      changed(context, item, existing ? 'updated' : 'created'),
    ]);
    return { item, created: !existing };
  });
}

/**
 * Deletes the object and, in the same transaction, withdraws its active share (`ShareWithdrawn`, reason
 * `objectDeleted`): an object re-created under the same name is a new object, never reachable through the
 * old link. The share pointer is guarded as read, so a share made in between fails the delete (and retries).
 */
export async function deletePartnerData(caller: AppCaller, name: string): Promise<void> {
  await retrying(async () => {
    const address = partnerDataAddress(caller, name);
    const key = keyOf(caller, address);
    const pointerKey = sharePointerKey(caller.tenant, caller.guest, caller.clientId, name);
    const context = await loadContext(caller, PARTNER_DATA, [key, pointerKey]);
    const existing = visibleItem(context, key, () => profileErrors.itemNotFound(name));
    const pointer = context.row<SharePointerItem>(pointerKey);
    const share = pointer ? withdrawal(caller.tenant, caller.guest, pointer, 'objectDeleted', caller.partnerId) : [noShare(pointerKey)];
    // Deleting needs no consent (the guest may always get rid of data), only an unblocked reference.
    await transact([itemDelete(key, existing), ...share, ...writeGuards(context), changed(context, existing, 'deleted')]);
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

/** `GET /partnerdata?prefix=`: the app's objects whose name starts with `prefix`, decrypted, paged by name. */
export async function listPartnerData(caller: AppCaller, prefix: string, limit: number, cursor?: string) {
  const context = await loadContext(caller, PARTNER_DATA);
  await recordRelationIfNew(context);
  const page = await queryPage(guestPartition(caller.tenant, caller.guest), partnerDataPrefix(caller.clientId, prefix), limit, cursor);
  const items: ListedItem[] = [];
  for (const row of page.rows as unknown as DataItem[]) {
    if (row.governance.partnerId !== caller.partnerId) continue;
    const listed = { name: row.name, id: row.id, updatedAt: row.updatedAt, size: row.size, importedFrom: row.importedFrom?.sharingIdentifier };
    try {
      items.push({ ...listed, data: await openItem(context, row) });
    } catch (error) {
      if ((error as { kind?: string }).kind !== 'Gone') throw error;
      items.push({ ...listed, unreadable: (error as { code: string }).code });
    }
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
