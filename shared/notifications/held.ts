import { partition, queryAll, tableName, updateIfStill } from '../platform/table/index.js';
import { DELIVERY_SK_PREFIX, deliveriesPartition, deliveryDueSortKey } from './keys.js';
import { Delivery } from './store.js';

/**
 * A paused subscription's deliveries wait (decision 0414): the sweeper marks each `heldAt` and looks at it again
 * every `holdRecheckSeconds()` without sending it or counting an attempt. A resume releases them here.
 *
 * Held rows a resume makes due at once, in the resuming request; any beyond wait for their next look (`holdRecheckSeconds`).
 */
export const RELEASE_ON_RESUME = 100;

/**
 * After a resume: the subscription's held rows are due now (each conditional on not being claimed meanwhile).
 * One Query of the subscription's own partition, at most `RELEASE_ON_RESUME` UpdateItems in parallel.
 */
export async function releaseHeld(tenant: string, partnerId: string, subscriptionId: string, now: Date): Promise<number> {
  const ofSubscription = partition(deliveriesPartition(tenant, partnerId, subscriptionId), DELIVERY_SK_PREFIX);
  const rows = await queryAll(
    'main',
    {
      ...ofSubscription,
      FilterExpression: 'attribute_exists(heldAt) AND #status = :pending',
      ExpressionAttributeNames: { ...ofSubscription.ExpressionAttributeNames, '#status': 'status' },
      ExpressionAttributeValues: { ...ofSubscription.ExpressionAttributeValues, ':pending': 'pending' },
    },
    RELEASE_ON_RESUME,
  );
  const released = await Promise.all(
    rows.map((row) => {
      const seen = Delivery.parse(row);
      return updateIfStill({
        TableName: tableName('main'),
        Key: Delivery.key(seen.tenant, seen.partnerId, seen.subscriptionId, seen.deliveryId),
        UpdateExpression: 'SET GSI1SK = :due REMOVE heldAt',
        ConditionExpression: 'GSI1SK = :seen AND #status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':seen': seen.GSI1SK ?? '', ':due': deliveryDueSortKey(now, seen.deliveryId), ':pending': 'pending' },
      });
    }),
  );
  return released.filter(Boolean).length;
}

