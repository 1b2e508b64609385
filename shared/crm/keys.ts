import { fnv1a } from '../profile/keys.js';

/**
 * Keys of the CRM audience (decision 0412). Every per-partner partition that takes a write per guest action is
 * spread over `CRM_SHARDS` partitions by the guest's hash (decision 0206): the partner's change feed (base
 * table), its pending purges (GSI1, sparse: an acknowledged purge leaves it). A purge has its own row, addressed
 * by its id; the guest's purges are indexed on GSI2 (one guest's actions, no sharding needed).
 */
export const CRM_SHARDS = 16;
export const crmShard = (guest: string) => fnv1a(guest) % CRM_SHARDS;

/** The partner's change feed: one row per notice, sorted by the time it was recorded. */
export const feedPartition = (tenant: string, partnerId: string, shard: number) => `T#${tenant}#PARTNER#${partnerId}#FEED#${shard}`;
export const feedSortKey = (recordedAt: string, eventId: string) => `${recordedAt}#${eventId}`;

export const purgeKey = (tenant: string, purgeId: string) => ({ PK: `T#${tenant}#PURGE#${purgeId}`, SK: 'PURGE' });
export const pendingPurgePartition = (tenant: string, partnerId: string, shard: number) => `T#${tenant}#PARTNER#${partnerId}#PURGES#${shard}`;
export const guestPurgePartition = (tenant: string, guest: string) => `T#${tenant}#GUEST#${guest}#PURGES`;
export const purgeSortKey = (createdAt: string, purgeId: string) => `${createdAt}#${purgeId}`;

/** A used acknowledgement signature (replay guard), kept a little longer than the signature's tolerance. */
export const usedSignatureKey = (tenant: string, digest: string) => ({ PK: `T#${tenant}#ACKSIG#${digest}`, SK: 'ACKSIG' });

export const CRM_ENTITY = {
  feed: 'CrmFeedEntry',
  purge: 'CrmPurge',
  usedSignature: 'CrmUsedSignature',
} as const;
