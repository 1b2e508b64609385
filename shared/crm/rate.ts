import { tooManyRequests } from '../platform/errors.js';
import { isConditionalCheckFailed, tableName, updateRow } from '../platform/table/index.js';
import type { PartnerCaller } from './caller.js';

/**
 * The per-partner request rate of the CRM pull (decision 0404): one counter item per partner and epoch minute,
 * raised by a conditional UpdateItem (`ADD n 1 IF n < limit`). DynamoDB applies the updates of one item one after
 * another, so a burst of any size is served exactly `limit` times a minute. The counter lives under the partner's
 * own partition key: a partner over its rate contends only with itself.
 */
export const CRM_REQUESTS_PER_MINUTE = 1200;

export const crmRatePartition = (tenant: string, partnerId: string) => `T#${tenant}#PARTNER#${partnerId}#CRMRATE`;
export const crmRateKey = (tenant: string, partnerId: string, minute: number) => ({ PK: crmRatePartition(tenant, partnerId), SK: `MINUTE#${minute}` });
export const CRM_RATE_ENTITY = 'CrmRequestRate';

/** DynamoDB's answers when the partner's own counter item takes more writes than its partition serves. */
const THROTTLED = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded']);

const overRate = (now: Date) =>
  tooManyRequests(`At most ${CRM_REQUESTS_PER_MINUTE} CRM requests per minute per partner; try again shortly`, 'CrmRequestRateExceeded', 60 - now.getUTCSeconds());

/** Counts one request; throws the 429 (with `Retry-After`: the seconds left of this minute) when the minute's limit is used up. */
export async function countCrmRequest(caller: PartnerCaller, now = new Date()): Promise<void> {
  const minute = Math.floor(now.getTime() / 60_000);
  try {
    await updateRow({
      TableName: tableName('main'),
      Key: crmRateKey(caller.tenant, caller.partnerId, minute),
      UpdateExpression: 'ADD #n :one SET entityType = :type, expiresAt = :expires',
      ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
      ExpressionAttributeNames: { '#n': 'requests' },
      ExpressionAttributeValues: { ':one': 1, ':limit': CRM_REQUESTS_PER_MINUTE, ':type': CRM_RATE_ENTITY, ':expires': (minute + 2) * 60 },
    });
  } catch (error) {
    // A partner so far over its rate that its own counter item is throttled is over its rate too.
    if (isConditionalCheckFailed(error) || THROTTLED.has((error as Error).name)) throw overRate(now);
    throw error;
  }
}

/**
 * A read counted in parallel with its own work: no round trip is added before the read, and a refused
 * request answers 429 whatever the read found (a read writes nothing, so nothing is left half-done).
 * `admitted` settles with the counter: a read awaits it before its costly part (KMS decrypts), which comes
 * after at least two round trips of its own, so a refused request never decrypts and a served one never
 * waits for it. The read is awaited either way, so no work outlives the invocation.
 */
export async function countedRead<T>(caller: PartnerCaller, read: (admitted: Promise<void>) => Promise<T>, now = new Date()): Promise<T> {
  const admitted = countCrmRequest(caller, now);
  // Awaited below; this only keeps a read that never awaits it from an unhandled rejection.
  admitted.catch(() => undefined);
  const [counted, result] = await Promise.allSettled([admitted, read(admitted)]);
  if (counted.status === 'rejected') throw counted.reason;
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
