import type { ItemKey } from '../platform/table/index.js';

/**
 * Every key of the notification context (decision 0400). A partner's subscriptions, its limit counters
 * and (in the key table) its signing secrets share one partition named by tenant and partner, so a token
 * can only ever address its own partner's rows. Deliveries live per subscription; the due index is global.
 */
export const ENTITY = {
  subscription: 'NotificationSubscription',
  counter: 'NotificationSubscriptionCount',
  rate: 'NotificationWriteRate',
  secret: 'NotificationSigningSecret',
  delivery: 'NotificationDelivery',
} as const;

const partnerPartition = (tenant: string, partnerId: string) => `T#${tenant}#PARTNER#${partnerId}#NOTIFY`;
export const SUBSCRIPTION_SK_PREFIX = 'SUB#';
export const SECRET_SK_PREFIX = 'SECRET#';

/** The partner's subscriptions: one Query lists them all (at most the limit). */
export const subscriptionsPartition = partnerPartition;

export const subscriptionKey = (tenant: string, partnerId: string, subscriptionId: string): ItemKey => ({
  PK: partnerPartition(tenant, partnerId),
  SK: `${SUBSCRIPTION_SK_PREFIX}${subscriptionId}`,
});

/** How many subscriptions the partner has: changed in the same transaction as each create and delete. */
export const subscriptionCountKey = (tenant: string, partnerId: string): ItemKey => ({
  PK: partnerPartition(tenant, partnerId),
  SK: 'COUNT',
});

/** The partner's writes in one minute (`minute` = epoch minutes), counted in each write's transaction. */
export const writeRateKey = (tenant: string, partnerId: string, minute: number): ItemKey => ({
  PK: partnerPartition(tenant, partnerId),
  SK: `RATE#${minute}`,
});

/** A signing secret of a subscription, in the key table (no stream, decision 0402). */
export const secretKey = (tenant: string, partnerId: string, subscriptionId: string, secretId: string): ItemKey => ({
  PK: partnerPartition(tenant, partnerId),
  SK: `${SECRET_SK_PREFIX}${subscriptionId}#${secretId}`,
});
export const secretPrefixOf = (subscriptionId?: string) => (subscriptionId ? `${SECRET_SK_PREFIX}${subscriptionId}#` : SECRET_SK_PREFIX);

/** A subscription's deliveries: a resume finds its held rows here, without an index. */
export const deliveriesPartition = (tenant: string, partnerId: string, subscriptionId: string) =>
  `T#${tenant}#PARTNER#${partnerId}#NOTIFY#SUB#${subscriptionId}`;
export const DELIVERY_SK_PREFIX = 'DELIVERY#';

/** One notice for one subscription: the unit that is delivered, retried and dead-lettered on its own. */
export const deliveryKey = (tenant: string, partnerId: string, subscriptionId: string, deliveryId: string): ItemKey => ({
  PK: deliveriesPartition(tenant, partnerId, subscriptionId),
  SK: `${DELIVERY_SK_PREFIX}${deliveryId}`,
});

/** Dead letters of a subscription, oldest first (GSI2). */
export const deadLetterPartition = (tenant: string, partnerId: string, subscriptionId: string) =>
  `${deliveriesPartition(tenant, partnerId, subscriptionId)}#DEAD`;

/** Deliveries due for an attempt, spread over shards so a burst never makes one hot partition (GSI1). */
export const DELIVERY_DUE_SHARDS = 4;
export const deliveryDuePartition = (shard: number) => `NOTIFY#DUE#${shard}`;
export const deliveryDueShard = (deliveryId: string) =>
  Number.parseInt(deliveryId.replace(/[^0-9a-f]/gi, '').slice(0, 4) || '0', 16) % DELIVERY_DUE_SHARDS;
export const deliveryDueSortKey = (due: Date, deliveryId: string) => `${due.toISOString()}#${deliveryId}`;
