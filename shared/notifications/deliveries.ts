import type { CrmEventDetail } from '../crm/events.js';
import { continuationId, handOn } from '../platform/continuation.js';
import { GSI1, GSI2 } from '../platform/table-design.js';
import { ConditionFailed, deleteRows, getRow, isConditionalCheckFailed, partition, putRow, queryPage, type Row, tableName, updateRow } from '../platform/table/index.js';
import { notificationEvents } from './events.js';
import {
  DELIVERY_DUE_SHARDS,
  deadLetterPartition,
  deliveryDuePartition,
  deliveryDueShard,
  deliveryDueSortKey,
  ENTITY,
  SUBSCRIPTION_SK_PREFIX,
  subscriptionsPartition,
} from './keys.js';
import { holdRecheckSeconds, LIMITS, retryDelaySeconds } from './limits.js';
import { GUEST_WIDE_NOTICES } from './notices.js';
import { Delivery, type StoredDelivery, type StoredSubscription, Subscription } from './store.js';
import { secretsOf } from './subscriptions.js';
import { type AttemptOutcome, describeOutcome, postSigned } from './transport.js';

/**
 * Delivery of `PartnerNotice`s to the recipient's subscriptions (decision 0401, docs/notifications.md).
 * One row per (notice, subscription) is the unit of delivery: it is attempted at once by the dispatcher,
 * then retried from the due index by the sweeper with backoff, then parked as a dead letter of its
 * subscription. A row is claimed by moving its due time a lease ahead, so two runners never send it at the
 * same time and a runner that dies mid-attempt leaves it due again once the lease has passed.
 */
export type PartnerNoticeDetail = CrmEventDetail<'PartnerNotice'>;

/** Subscriptions read per fan-out invocation; the rest is handed on (decision 0208). */
export const FAN_OUT_PAGE = 25;
/** An attempt holds its row this long (well over the 5 s attempt timeout). */
export const LEASE_SECONDS = 60;
/** Rows read per due-index query of the sweeper. */
const SWEEP_PAGE = 25;
/**
 * A sweep starts no attempt after this long: with one attempt (≤ 5 s) and its writes after it, a run stays
 * within the scheduled function's 10 s timeout. It runs every minute; a backlog drains over several runs.
 */
const SWEEP_BUDGET_MS = 3_000;
/**
 * Fairness (decision 0423): a subscription has at most this many attempts in flight in a run; its further due
 * rows are passed over (left due for the next run), so one slow endpoint never holds another's retries.
 */
export const SWEEP_IN_FLIGHT_PER_SUBSCRIPTION = 4;
/** Attempts in flight in one run at most (outbound connections of one invocation). */
export const SWEEP_IN_FLIGHT = 200;
/** Due rows a run reads per shard at most (passed-over rows included): bounds the reads of a huge backlog. */
export const SWEEP_READ_PER_SHARD = 2_000;
/**
 * A delivered row stays this long as a marker (decision 0422), so a notice delivered again — a bus redelivery,
 * the outbox sweeper's re-publish (≤ 7 days, decision 0421), a replay from a DLQ (14 days) — records nothing.
 */
export const DELIVERED_MARKER_SECONDS = 14 * 24 * 3600;

const FAN_OUT_CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;

/** The subscription wants the notice: active, of its notice filter, and of its types unless guest-wide. */
export function wants(subscription: StoredSubscription, notice: PartnerNoticeDetail): boolean {
  if (subscription.paused) return false;
  if (subscription.notices && !subscription.notices.includes(notice.notice)) return false;
  if (GUEST_WIDE_NOTICES.has(notice.notice) || notice.entityType === undefined) return true;
  return subscription.entityTypes.includes(notice.entityType);
}

/** What the receiver gets: the thin notice, its delivery id (to deduplicate) and the subscription it came through. */
export function deliveryBody(notice: PartnerNoticeDetail, subscriptionId: string, deliveryId: string): string {
  const { tenant, eventId, occurredAt, partnerId, notice: kind, guest, entityType, itemId, version, purgeId, causeEventId } = notice;
  return JSON.stringify({ deliveryId, subscriptionId, notice: kind, eventId, occurredAt, tenant, partnerId, guest, entityType, itemId, version, purgeId, causeEventId });
}

const encodeKey = (key: Row) => Buffer.from(JSON.stringify({ PK: key.PK, SK: key.SK }), 'utf8').toString('base64url');
function decodeKey(cursor: string): Row | undefined {
  if (!FAN_OUT_CURSOR.test(cursor)) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Row;
    return typeof key.PK === 'string' && typeof key.SK === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

export interface FanOutOutcome {
  readonly subscriptions: number;
  readonly recorded: number;
  readonly delivered: number;
  /** The cursor handed on to the next page (`NotificationFanOutContinued`), when there is more. */
  readonly next?: string;
}

/**
 * One page of a notice's fan-out: reads up to `FAN_OUT_PAGE` of the recipient's subscriptions, records a
 * delivery row for each that wants the notice (id derived from notice and subscription: a redelivered
 * notice records nothing twice), attempts them in parallel, and hands the rest on. Rows recorded before
 * a crash are retried by the sweeper once their lease has passed: nothing is lost.
 */
export async function fanOut(notice: PartnerNoticeDetail, cursor?: string, now = () => new Date()): Promise<FanOutOutcome> {
  const start = cursor === undefined ? undefined : decodeKey(cursor);
  if (cursor !== undefined && !start) throw new Error(`NotificationFanOutContinued of ${notice.eventId}: malformed cursor`);
  const page = await queryPage('main', { ...partition(subscriptionsPartition(notice.tenant, notice.partnerId), SUBSCRIPTION_SK_PREFIX), Limit: FAN_OUT_PAGE }, start);
  const next = page.lastKey && encodeKey(page.lastKey);
  if (next) await handOn(notificationEvents.NotificationFanOutContinued, { tenant: notice.tenant, notice, cursor: next }, [notice.eventId, next]);
  const subscriptions = page.rows.map((row) => Subscription.parse(row)).filter((subscription) => wants(subscription, notice));
  const recorded = (await Promise.all(subscriptions.map((subscription) => record(notice, subscription, now())))).filter((row) => row !== undefined);
  const outcomes = await Promise.all(recorded.map((row) => attempt(row, now)));
  return { subscriptions: page.rows.length, recorded: recorded.length, delivered: outcomes.filter((o) => o.ok).length, ...(next ? { next } : {}) };
}

/** Records the delivery, claimed by the caller for one lease; undefined when it was recorded before (a redelivered notice). */
async function record(notice: PartnerNoticeDetail, subscription: StoredSubscription, now: Date): Promise<StoredDelivery | undefined> {
  const deliveryId = continuationId('NotificationDelivery', notice.eventId, subscription.subscriptionId);
  const row: StoredDelivery = {
    tenant: notice.tenant,
    partnerId: notice.partnerId,
    subscriptionId: subscription.subscriptionId,
    deliveryId,
    body: deliveryBody(notice, subscription.subscriptionId, deliveryId),
    notice: notice.notice,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now.toISOString(),
    createdAt: now.toISOString(),
    GSI1SK: deliveryDueSortKey(leaseEnd(now), deliveryId),
  };
  try {
    await putRow({
      TableName: tableName('main'),
      Item: { ...Delivery.key(row.tenant, row.partnerId, row.subscriptionId, deliveryId), entityType: ENTITY.delivery, ...row, GSI1PK: deliveryDuePartition(deliveryDueShard(deliveryId)) },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    return row;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

const leaseEnd = (now: Date) => new Date(now.getTime() + LEASE_SECONDS * 1000);
const keyOf = (row: StoredDelivery) => Delivery.key(row.tenant, row.partnerId, row.subscriptionId, row.deliveryId);

/**
 * One attempt of a claimed row: sends it with the subscription's current url and secrets, then marks it
 * delivered (a marker until its TTL), schedules the next retry, or parks it as a dead letter. A row whose subscription is
 * gone is dropped. Writes are conditional on the claim, so a runner whose lease ran out changes nothing.
 */
async function attempt(row: StoredDelivery, now: () => Date): Promise<AttemptOutcome> {
  const caller = { tenant: row.tenant, partnerId: row.partnerId };
  const subscription = Subscription.parseOptional(await getRow('main', Subscription.key(row.tenant, row.partnerId, row.subscriptionId)));
  const secrets = subscription ? await secretsOf(caller, row.subscriptionId, now()) : [];
  if (!subscription || secrets.length === 0) {
    await deleteRows('main', [keyOf(row)]);
    return { ok: false, reason: 'refused-endpoint' };
  }
  if (subscription.paused) return hold(row, now());
  const outcome = await postSigned({ url: subscription.url, body: row.body, secrets, deliveryId: row.deliveryId, nowSeconds: Math.floor(now().getTime() / 1000) });
  const claim = { ':claim': row.GSI1SK ?? '' };
  try {
    if (outcome.ok) {
      await markDelivered(row, outcome, now());
      return outcome;
    }
    const attempts = row.attempts + 1;
    const delay = retryDelaySeconds(attempts);
    const at = now();
    if (delay !== undefined) {
      const due = new Date(at.getTime() + delay * 1000);
      await updateRow({
        TableName: tableName('main'),
        Key: keyOf(row),
        UpdateExpression: 'SET attempts = :attempts, nextAttemptAt = :next, lastOutcome = :outcome, GSI1SK = :due REMOVE heldAt',
        ConditionExpression: 'GSI1SK = :claim',
        ExpressionAttributeValues: { ...claim, ':attempts': attempts, ':next': due.toISOString(), ':outcome': describeOutcome(outcome), ':due': deliveryDueSortKey(due, row.deliveryId) },
      });
    } else {
      await updateRow({
        TableName: tableName('main'),
        Key: keyOf(row),
        UpdateExpression:
          'SET attempts = :attempts, lastOutcome = :outcome, #status = :dead, deadAt = :at, GSI2PK = :deadPartition, GSI2SK = :deadSort, expiresAt = :expires REMOVE GSI1PK, GSI1SK, nextAttemptAt',
        ConditionExpression: 'GSI1SK = :claim',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ...claim,
          ':attempts': attempts,
          ':outcome': describeOutcome(outcome),
          ':dead': 'dead',
          ':at': at.toISOString(),
          ':deadPartition': deadLetterPartition(row.tenant, row.partnerId, row.subscriptionId),
          ':deadSort': `${at.toISOString()}#${row.deliveryId}`,
          ':expires': Math.floor(at.getTime() / 1000) + LIMITS.deadLetterRetentionSeconds,
        },
      });
    }
  } catch (error) {
    // The lease ran out and another runner claimed the row: its outcome counts, not ours.
    if (!isConditionalCheckFailed(error) && !(error instanceof ConditionFailed)) throw error;
  }
  return outcome;
}

/**
 * A delivered row becomes its own small marker (ids, times; the body goes) out of every index, removed by TTL:
 * `record()` of the same notice and subscription finds it and records nothing (decision 0422).
 */
async function markDelivered(row: StoredDelivery, outcome: AttemptOutcome, at: Date): Promise<void> {
  await updateRow({
    TableName: tableName('main'),
    Key: keyOf(row),
    UpdateExpression: 'SET #status = :delivered, deliveredAt = :at, lastOutcome = :outcome, expiresAt = :expires REMOVE GSI1PK, GSI1SK, body, nextAttemptAt, heldAt',
    ConditionExpression: 'GSI1SK = :claim',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':claim': row.GSI1SK ?? '',
      ':delivered': 'delivered',
      ':at': at.toISOString(),
      ':outcome': describeOutcome(outcome),
      ':expires': Math.floor(at.getTime() / 1000) + DELIVERED_MARKER_SECONDS,
    },
  });
}

/**
 * A paused subscription's row waits (decision 0414): not sent, no attempt counted, never a dead letter. It stays
 * in the due index, looked at again every `holdRecheckSeconds()` (so a deleted subscription's rows are dropped
 * then, and a resume the release below missed still sends them), and marked `heldAt` so a resume finds it.
 */
async function hold(row: StoredDelivery, now: Date): Promise<AttemptOutcome> {
  const due = new Date(now.getTime() + holdRecheckSeconds() * 1000);
  try {
    await updateRow({
      TableName: tableName('main'),
      Key: keyOf(row),
      UpdateExpression: 'SET GSI1SK = :due, heldAt = if_not_exists(heldAt, :now)',
      ConditionExpression: 'GSI1SK = :claim',
      ExpressionAttributeValues: { ':claim': row.GSI1SK ?? '', ':due': deliveryDueSortKey(due, row.deliveryId), ':now': now.toISOString() },
    });
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  return { ok: false, reason: 'held' };
}

/** Claims a due row by moving its due time a lease ahead; undefined when another runner was first. */
async function claim(row: Row, now: Date): Promise<StoredDelivery | undefined> {
  const seen = Delivery.parse(row);
  try {
    const claimed = await updateRow({
      TableName: tableName('main'),
      Key: keyOf(seen),
      UpdateExpression: 'SET GSI1SK = :lease',
      ConditionExpression: 'GSI1SK = :seen AND #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':seen': seen.GSI1SK ?? '', ':lease': deliveryDueSortKey(leaseEnd(now), seen.deliveryId), ':pending': 'pending' },
      ReturnValues: 'ALL_NEW',
    });
    return claimed ? Delivery.parse(claimed) : undefined;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

export interface SweepOutcome {
  readonly due: number;
  readonly delivered: number;
  readonly failed: number;
  /** Rows of paused subscriptions, left waiting. */
  readonly held: number;
}

/**
 * The retry sweep (every minute in AWS, a timer locally): per shard of the due index, pages of rows due by
 * `now`; each row is claimed and its attempt started without waiting for the page's others (decision 0423).
 * A subscription has at most `SWEEP_IN_FLIGHT_PER_SUBSCRIPTION` attempts in flight, the run at most
 * `SWEEP_IN_FLIGHT`: a row beyond either is passed over, due for the next run. So one subscription's slow
 * endpoint holds at most its own few attempts (≤ 5 s each), never another subscription's or partner's retry,
 * which is attempted in the same run unless `SWEEP_READ_PER_SHARD` due rows precede it in its shard. New
 * attempts start for `SWEEP_BUDGET_MS`; the run then waits for those in flight (≤ 5 s and their writes).
 */
export async function sweepDeliveries(now = () => new Date()): Promise<SweepOutcome> {
  const started = Date.now();
  const withinBudget = () => Date.now() - started < SWEEP_BUDGET_MS;
  const totals = { due: 0, delivered: 0, failed: 0, held: 0 };
  const inFlight = new Map<string, number>();
  let running = 0;
  const attempts: Promise<void>[] = [];
  const errors: unknown[] = [];

  /** Takes an in-flight slot for the row's subscription, or answers false (the row waits for the next run). */
  const takeSlot = (subscription: string): boolean => {
    const taken = inFlight.get(subscription) ?? 0;
    if (taken >= SWEEP_IN_FLIGHT_PER_SUBSCRIPTION || running >= SWEEP_IN_FLIGHT) return false;
    inFlight.set(subscription, taken + 1);
    running++;
    return true;
  };
  const releaseSlot = (subscription: string) => {
    inFlight.set(subscription, (inFlight.get(subscription) ?? 1) - 1);
    running--;
  };
  const start = (row: StoredDelivery, subscription: string) => {
    attempts.push(
      attempt(row, now)
        .then((outcome) => {
          if (outcome.ok) totals.delivered++;
          else if (outcome.reason === 'held') totals.held++;
          else totals.failed++;
        })
        // The row stays claimed until its lease ends, then the next run tries it again; the run reports the error.
        .catch((error: unknown) => void errors.push(error))
        .finally(() => releaseSlot(subscription)),
    );
  };

  await Promise.all(
    Array.from({ length: DELIVERY_DUE_SHARDS }, async (_, shard) => {
      let startKey: Row | undefined;
      let read = 0;
      while (withinBudget() && read < SWEEP_READ_PER_SHARD && running < SWEEP_IN_FLIGHT) {
        const page = await queryPage(
          'main',
          {
            IndexName: GSI1.name,
            KeyConditionExpression: '#pk = :pk AND #sk < :upper',
            ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
            ExpressionAttributeValues: { ':pk': deliveryDuePartition(shard), ':upper': `${now().toISOString()}#~` },
            Limit: SWEEP_PAGE,
          },
          startKey,
        );
        read += page.rows.length;
        totals.due += page.rows.length;
        const taken = page.rows
          .map((row) => ({ row, subscription: `${String(row.tenant)}#${String(row.partnerId)}#${String(row.subscriptionId)}` }))
          .filter(({ subscription }) => takeSlot(subscription));
        await Promise.all(
          taken.map(async ({ row, subscription }) => {
            const claimed = await claim(row, now()).catch((error: unknown) => {
              errors.push(error);
              return undefined;
            });
            if (claimed) start(claimed, subscription);
            else releaseSlot(subscription); // another runner was first
          }),
        );
        if (!page.lastKey) return;
        startKey = page.lastKey;
      }
    }),
  );
  await Promise.all(attempts);
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} deliveries of the sweep failed to be claimed or written`);
  return totals;
}

/** The dead-letter index of a subscription (GSI2), oldest first. */
export const deadLetterQuery = (tenant: string, partnerId: string, subscriptionId: string) =>
  partition(deadLetterPartition(tenant, partnerId, subscriptionId), undefined, GSI2);
