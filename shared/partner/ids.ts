import { randomInt } from 'node:crypto';
import { config } from '../platform/config.js';
import { isConditionalCheckFailed, putRow } from '../platform/table/index.js';
import { ENTITY, partnerIdClaimKey } from './keys.js';

/** Europace's shape: three capital letters and two digits (`ABC12`). */
export const PARTNER_ID_PATTERN = /^[A-Z]{3}[0-9]{2}$/;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** An unused reservation disappears after a day (TTL), so a crashed create does not burn ids for ever. */
const RESERVATION_SECONDS = 24 * 3600;
const MAX_ATTEMPTS = 20;

export function randomPartnerId(): string {
  const letters = Array.from({ length: 3 }, () => LETTERS[randomInt(LETTERS.length)]).join('');
  return `${letters}${String(randomInt(100)).padStart(2, '0')}`;
}

export const isPartnerId = (value: string) => PARTNER_ID_PATTERN.test(value);

/**
 * Reserves a fresh platform-wide partner id. The conditional put is what makes it race-free: two
 * callers drawing the same id cannot both win. The reservation becomes permanent when the partner
 * is written (`partnerIdBinding` in the same transaction).
 */
export async function allocatePartnerId(): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const partnerId = randomPartnerId();
    try {
      await putRow({
        TableName: config().tableName,
        Item: {
          ...partnerIdClaimKey(partnerId),
          entityType: ENTITY.partnerIdClaim,
          partnerId,
          state: 'reserved',
          expiresAt: Math.floor(Date.now() / 1000) + RESERVATION_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      });
      return partnerId;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
  throw new Error(`No free partner id after ${MAX_ATTEMPTS} attempts`);
}

/**
 * The transaction item that turns a reservation into the id of `tenant`'s partner (no TTL any more).
 * It fails when the id belongs to someone else, so an id can never be used twice.
 */
export function partnerIdBinding(tenant: string, partnerId: string, now: string) {
  return {
    Put: {
      TableName: config().tableName,
      Item: { ...partnerIdClaimKey(partnerId), entityType: ENTITY.partnerIdClaim, partnerId, tenant, state: 'bound', boundAt: now },
      ConditionExpression: 'attribute_not_exists(PK) OR #state = :reserved',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':reserved': 'reserved' },
    },
  };
}
