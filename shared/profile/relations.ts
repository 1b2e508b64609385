import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../platform/clients.js';
import type { GuestCaller } from './caller.js';
import type { OperationContext } from './context.js';
import { ENTITY, relationKey } from './keys.js';
import type { RelationItem } from './model.js';
import { mainTable, type TransactItem } from './store.js';

/** The Put that records (or, after a new sign-in, renews) the relation guest ↔ partner. */
export function relationPut(caller: GuestCaller, at: string) {
  const item: RelationItem = { tenant: caller.tenant, guest: caller.guest, partnerId: caller.partnerId!, clientId: caller.clientId, since: at };
  return {
    Put: {
      TableName: mainTable(),
      Item: { ...relationKey(caller.tenant, caller.guest, caller.partnerId!), entityType: ENTITY.relation, ...item },
      // Never overwrite an active relation (its `since` stays the first sign-in).
      ConditionExpression: 'attribute_not_exists(PK) OR attribute_exists(endedAt)',
    },
  } satisfies TransactItem;
}

/** Writes in a transaction of their own carry the relation along; reads record it here, once. */
export async function recordRelationIfNew(context: OperationContext): Promise<void> {
  if (!context.recordRelation) return;
  try {
    await dynamoClient().send(new PutCommand(relationPut(context.caller, new Date().toISOString()).Put));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error; // recorded concurrently
  }
}
