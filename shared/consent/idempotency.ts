import { createHash, hkdfSync } from 'node:crypto';
import { config } from '../platform/config.js';
import { openReferenceDataKey } from './key-material.js';
import { ENTITY, idempotencyKey, referenceDataKeyKey } from './keys.js';
import { getItem, type StoredDataKey } from './store.js';
import type { TransactItem } from '../platform/table/index.js';

/**
 * `Idempotency-Key` on POST: the first answer is remembered for a day (TTL) under hashes of the caller and
 * the key; a retry gets the same reference. The reference token of that answer is stored nowhere: it is
 * derived from the reference's own KMS data key (made by the POST, stored wrapped in the key table), so
 * a replay recomputes it with one (cached) KMS Decrypt, and nobody can compute it from the key and the
 * caller — only someone able to decrypt the reference's data key under KMS could.
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

export function rememberCreation(tenant: string, caller: string, key: string, answer: RememberedCreation, now: Date): TransactItem {
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

/** The token of a reference created with an Idempotency-Key: HKDF-SHA256 of its data key, bound to tenant and reference (256 bits). */
export const referenceTokenFromDataKey = (dataKey: Buffer, tenant: string, ref: string): string =>
  Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `consentReferenceToken|${tenant}|${ref}`, 32)).toString('base64url');

/**
 * The token again, for a replay: the reference's wrapped data key (one GetItem on the key table) opened
 * from the cache or with one KMS Decrypt. Undefined once the reference (and so its key) was deleted: the
 * token would authorise nothing any more.
 */
export async function recoverReferenceToken(tenant: string, ref: string): Promise<string | undefined> {
  const stored = await getItem<StoredDataKey>('keys', referenceDataKeyKey(tenant, ref));
  if (!stored) return undefined;
  const dataKey = await openReferenceDataKey(tenant, ref, stored.wrapped);
  try {
    return referenceTokenFromDataKey(dataKey, tenant, ref);
  } finally {
    dataKey.fill(0);
  }
}
