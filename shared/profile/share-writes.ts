import { profileEvent } from './events.js';
import { appScope, importedKey, isLegacyScope, type ItemKey, legacyImportedKey, shareKey, sharePointerKey } from './keys.js';
import type { DataItem, ImportedItem, SharePointerItem } from './model.js';
import { mainTable, type TransactItem } from './store.js';

/**
 * The writes that end a share, used wherever a share must end with the write that ends it: withdrawing it,
 * deleting its object, erasure. Each is guarded by what was read, so a share made or replaced in between
 * fails the transaction instead of staying active behind a deleted pointer.
 */
export type WithdrawalReason = 'guest' | 'erasure' | 'objectDeleted';

/** Withdraws the share a pointer (as read) names: the pointer goes, the share is marked withdrawn, `ShareWithdrawn`. */
export function withdrawal(tenant: string, guest: string, pointer: SharePointerItem, reason: WithdrawalReason, partnerId: string): TransactItem[] {
  return [
    {
      Delete: {
        TableName: mainTable(),
        Key: sharePointerKey(tenant, guest, pointer.scope ?? pointer.clientId, pointer.name),
        ConditionExpression: 'sharingIdentifier = :id',
        ExpressionAttributeValues: { ':id': pointer.sharingIdentifier },
      },
    },
    {
      Update: {
        TableName: mainTable(),
        Key: shareKey(tenant, pointer.sharingIdentifier),
        UpdateExpression: 'SET #status = :withdrawn, withdrawnAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':withdrawn': 'withdrawn', ':now': new Date().toISOString() },
      },
    },
    profileEvent('ShareWithdrawn', tenant, { guest, partnerId, sharingIdentifier: pointer.sharingIdentifier, name: pointer.name, reason }),
  ];
}

/** The object had no share when read: fails the transaction if one was made in between. */
export const noShare = (pointerKey: ItemKey): TransactItem => ({
  ConditionCheck: { TableName: mainTable(), Key: pointerKey, ConditionExpression: 'attribute_not_exists(PK)' },
});

/**
 * Where the importer's pointers to a copy may be: the copy's own scope (the importing partner and app), the
 * importing app's scope for a copy written before decision 0302, and the pre-0302 pointer of the share.
 */
export function importPointerKeys(tenant: string, guest: string, copy: DataItem): ItemKey[] {
  const sharingIdentifier = copy.importedFrom!.sharingIdentifier;
  const scope = copy.scope ?? copy.governance.clientId ?? '';
  const { partnerId, clientId } = copy.governance;
  const scopes = new Set(isLegacyScope(scope) ? (partnerId && clientId ? [appScope(partnerId, clientId)] : []) : [scope]);
  return [...[...scopes].map((s) => importedKey(tenant, guest, sharingIdentifier, s)), legacyImportedKey(tenant, guest, sharingIdentifier)];
}

/**
 * A deleted copy takes the importer's pointers that name it along (so the guest's imports no longer list
 * it); a pointer is only a hint, so only one that still names THIS copy (its id, or before ids were
 * recorded its name and app) goes, guarded as read. The share's import record stays: the guest was counted.
 */
export function copyPointerDeletes(copy: DataItem, pointers: readonly (ImportedItem & ItemKey)[]): TransactItem[] {
  return pointers
    .filter((p) => p.sharingIdentifier === copy.importedFrom?.sharingIdentifier
      && (p.copyId !== undefined ? p.copyId === copy.id : p.copyName === copy.name && p.clientId === copy.governance.clientId))
    .map(pointerDelete);
}

/** Deletes an importer's pointer as it was read (a new import through its app in between fails the write). */
export const pointerDelete = (pointer: ImportedItem & ItemKey): TransactItem => ({
  Delete: {
    TableName: mainTable(), Key: { PK: pointer.PK, SK: pointer.SK },
    ConditionExpression: 'importedAt = :read', ExpressionAttributeValues: { ':read': pointer.importedAt },
  },
});
