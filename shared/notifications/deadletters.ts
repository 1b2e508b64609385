import { cursorBinding, readCursor, writeCursor } from '../platform/cursor.js';
import { queryPage, type Row, tableName, updateIfStill } from '../platform/table/index.js';
import * as z from 'zod/mini';
import { deadLetterQuery } from './deliveries.js';
import { deadLetterPartition, deliveryDuePartition, deliveryDueShard, deliveryDueSortKey, deliveryKey } from './keys.js';
import { LIMITS } from './limits.js';
import { Delivery } from './store.js';
import { countPartnerWrite, loadSubscription, type PartnerCaller } from './subscriptions.js';

/**
 * A subscription's dead letters (decision 0401): deliveries that failed through the whole backoff schedule.
 * The partner (its own subscriptions) and the operator (any) can list them page by page and redrive them:
 * a redriven delivery is due at once, with a fresh schedule; nothing is lost while it waits (14 days).
 */
export interface DeadLetterView {
  readonly deliveryId: string;
  readonly notice: string;
  readonly attempts: number;
  readonly lastOutcome?: string;
  readonly createdAt: string;
  readonly deadAt?: string;
  /** The notice as it would be delivered (thin: ids, types, versions). */
  readonly body: Record<string, unknown>;
}

export interface DeadLetterPage {
  readonly deadLetters: DeadLetterView[];
  readonly nextCursor?: string;
}

const PURPOSE = 'notification-dead-letters';
/**
 * The cursor holds only the last dead letter's index sort key (`<deadAt>#<deliveryId>`); the start key's
 * partitions are rebuilt from the caller, so a tampered cursor can only name a position inside the caller's
 * own listing (or be 400), never a key the query does not accept.
 */
const Position = z.object({ k: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]{1,128}$/)) });

function startKeyOf(caller: PartnerCaller, subscriptionId: string, sortKey: string): Row {
  const deliveryId = sortKey.slice(sortKey.indexOf('#') + 1);
  return {
    ...deliveryKey(caller.tenant, caller.partnerId, subscriptionId, deliveryId),
    GSI2PK: deadLetterPartition(caller.tenant, caller.partnerId, subscriptionId),
    GSI2SK: sortKey,
  };
}

export async function listDeadLetters(caller: PartnerCaller, subscriptionId: string, cursor?: string): Promise<DeadLetterPage> {
  await loadSubscription(caller, subscriptionId);
  const binding = cursorBinding(caller.tenant, caller.partnerId, subscriptionId);
  const start = cursor === undefined ? undefined : startKeyOf(caller, subscriptionId, readCursor(cursor, PURPOSE, binding, Position).k);
  const page = await queryPage('main', { ...deadLetterQuery(caller.tenant, caller.partnerId, subscriptionId), Limit: LIMITS.deadLettersPerPage }, start);
  const deadLetters = page.rows.map((row) => {
    const letter = Delivery.parse(row);
    return {
      deliveryId: letter.deliveryId,
      notice: letter.notice,
      attempts: letter.attempts,
      ...(letter.lastOutcome ? { lastOutcome: letter.lastOutcome } : {}),
      createdAt: letter.createdAt,
      ...(letter.deadAt ? { deadAt: letter.deadAt } : {}),
      body: JSON.parse(letter.body) as Record<string, unknown>,
    };
  });
  const last = page.lastKey;
  return { deadLetters, ...(last ? { nextCursor: writeCursor(PURPOSE, binding, { k: String(last.GSI2SK) }) } : {}) };
}

/** Dead letters redriven per call; `more` says whether to call again. */
export const REDRIVE_BATCH = 100;

/**
 * Makes up to `REDRIVE_BATCH` dead letters due now with a fresh schedule. Each is changed on its own,
 * conditional on still being dead, so parallel redrives move each letter once.
 */
export async function redriveDeadLetters(caller: PartnerCaller, subscriptionId: string, now = new Date()): Promise<{ redriven: number; more: boolean }> {
  await loadSubscription(caller, subscriptionId);
  await countPartnerWrite(caller, now);
  const page = await queryPage('main', { ...deadLetterQuery(caller.tenant, caller.partnerId, subscriptionId), Limit: REDRIVE_BATCH });
  const moved = await Promise.all(
    page.rows.map((row) => {
      const letter = Delivery.parse(row);
      return updateIfStill({
        TableName: tableName('main'),
        Key: Delivery.key(letter.tenant, letter.partnerId, letter.subscriptionId, letter.deliveryId),
        UpdateExpression: 'SET #status = :pending, attempts = :zero, nextAttemptAt = :now, GSI1PK = :duePartition, GSI1SK = :due REMOVE GSI2PK, GSI2SK, deadAt, expiresAt',
        ConditionExpression: '#status = :dead',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':dead': 'dead',
          ':zero': 0,
          ':now': now.toISOString(),
          ':duePartition': deliveryDuePartition(deliveryDueShard(letter.deliveryId)),
          ':due': deliveryDueSortKey(now, letter.deliveryId),
        },
      });
    }),
  );
  return { redriven: moved.filter(Boolean).length, more: page.lastKey !== undefined };
}
