import { profileEvent } from './events.js';
import { type ItemKey, shareKey, sharePointerKey } from './keys.js';
import type { SharePointerItem } from './model.js';
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
