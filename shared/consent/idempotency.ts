import { createHash, createHmac } from 'node:crypto';
import { config } from '../platform/config.js';
import { ENTITY, idempotencyKey } from './keys.js';
import { getItem } from './store.js';
import type { TransactWriteItem } from './transact.js';

/**
 * `Idempotency-Key` on POST: the first answer is remembered for a day (TTL) under a hash of the key,
 * scoped to the caller; a retry gets the same reference. The reference token of that answer is not
 * stored anywhere: with a key it is derived as HMAC(key, tenant|reference|caller), so only a caller
 * who still holds the key can get it again.
 */
const RETENTION_SECONDS = 24 * 3600;

export interface RememberedCreation {
  readonly ref: string;
  readonly fingerprint: string;
}

/** Caller and key are hashed: a token's `sub` is not bounded, the partition key is (2048 bytes). */
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const keyOf = (tenant: string, caller: string, key: string) => idempotencyKey(tenant, sha256(caller), sha256(key));

/** TTL deletion is lazy (up to days late), so an expired record is ignored here and may be overwritten. */
export async function rememberedCreation(tenant: string, caller: string, key: string): Promise<RememberedCreation | undefined> {
  const record = await getItem<RememberedCreation & { expiresAt: number }>('main', keyOf(tenant, caller, key));
  return record && record.expiresAt * 1000 > Date.now() ? record : undefined;
}

export function rememberCreation(tenant: string, caller: string, key: string, answer: RememberedCreation, now: Date): TransactWriteItem {
  return {
    Put: {
      TableName: config().tableName,
      Item: {
        ...keyOf(tenant, caller, key),
        entityType: ENTITY.idempotency,
        ...answer,
        expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
    },
  };
}

export const derivedReferenceToken = (key: string, tenant: string, ref: string, caller: string) =>
  createHmac('sha256', key).update(`${tenant}|${ref}|${caller}`).digest('base64url');
