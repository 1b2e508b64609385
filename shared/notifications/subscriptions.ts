import { randomBytes, randomUUID } from 'node:crypto';
import { loadMetamodel } from '../consent/store.js';
import { ConditionFailed, deleteRows, getRow, partition, queryAll, retry, type TransactItem, tableName, transact } from '../platform/table/index.js';
import { logger } from '../platform/observability.js';
import type { ExpectedVersion } from '../platform/versions.js';
import { notificationErrors } from './errors.js';
import { checkEndpoint } from './endpoint.js';
import { releaseHeld } from './held.js';
import { ENTITY, secretKey, secretPrefixOf, subscriptionCountKey, subscriptionsPartition, SUBSCRIPTION_SK_PREFIX, writeRateKey } from './keys.js';
import { LIMITS } from './limits.js';
import type { NoticeKind } from './notices.js';
import { SigningSecret, type StoredSecret, type StoredSubscription, Subscription } from './store.js';
import { describeOutcome, postSigned } from './transport.js';

/**
 * A partner's webhook subscriptions (issue 13, docs/notifications.md): create, list, read, change, delete,
 * rotate the signing secret. Every key is built from the caller's tenant and partner (never from the
 * request), so one partner can neither see nor touch another's subscription: it is simply not found.
 */
export interface PartnerCaller {
  readonly tenant: string;
  readonly partnerId: string;
}

export interface SubscriptionInput {
  readonly url: string;
  readonly entityTypes: readonly string[];
  readonly notices?: readonly NoticeKind[];
}

export interface SubscriptionChange {
  readonly url?: string;
  readonly entityTypes?: readonly string[];
  readonly notices?: readonly NoticeKind[] | null;
  readonly paused?: boolean;
}

export interface SubscriptionView {
  readonly subscriptionId: string;
  readonly url: string;
  readonly entityTypes: readonly string[];
  readonly notices?: readonly string[];
  readonly paused: boolean;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const viewOf = (s: StoredSubscription): SubscriptionView => ({
  subscriptionId: s.subscriptionId,
  url: s.url,
  entityTypes: s.entityTypes,
  ...(s.notices ? { notices: s.notices } : {}),
  paused: s.paused,
  version: s.version,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

/** `whsec_` and 32 random bytes: shown once at creation and rotation, then only used to sign. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;
/** Secrets sort by creation time; the random tail keeps two rotations in one millisecond apart. */
const secretIdAt = (at: string) => `${at}#${randomBytes(4).toString('hex')}`;
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Every named type must be an active entity type (schema) of the tenant's metamodel: one Query. */
async function requireKnownEntityTypes(tenant: string, entityTypes: readonly string[]): Promise<void> {
  const known = new Set((await loadMetamodel(tenant)).filter((schema) => schema.active).map((schema) => schema.schema));
  const unknown = [...new Set(entityTypes)].filter((type) => !known.has(type));
  if (unknown.length > 0) throw notificationErrors.unknownEntityTypes(unknown);
}

/**
 * Registration proves the endpoint: one signed POST of a verification ping (thin, no data) must answer
 * 2xx, else 400 `EndpointUnreachable` and nothing is written (decision 0403).
 */
async function verifyEndpoint(url: string, subscriptionId: string, secrets: readonly string[], now: Date): Promise<void> {
  await checkEndpoint(url);
  const body = JSON.stringify({ notice: 'subscription.verification', subscriptionId, occurredAt: now.toISOString() });
  const outcome = await postSigned({ url, body, secrets, deliveryId: `verify-${randomUUID()}`, nowSeconds: epochSeconds(now) });
  if (!outcome.ok) throw notificationErrors.endpointUnreachable(url, describeOutcome(outcome));
}

/** The per-minute write counter, one item of every subscription write's transaction (its position is `RATE_ITEM` of the caller's list). */
function countWrite(caller: PartnerCaller, now: Date): TransactItem {
  const minute = Math.floor(now.getTime() / 60_000);
  return {
    Update: {
      TableName: tableName('main'),
      Key: writeRateKey(caller.tenant, caller.partnerId, minute),
      UpdateExpression: 'ADD #n :one SET entityType = :type, expiresAt = :expires',
      ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
      ExpressionAttributeNames: { '#n': 'writes' },
      ExpressionAttributeValues: { ':one': 1, ':limit': LIMITS.writesPerMinute, ':type': ENTITY.rate, ':expires': (minute + 2) * 60 },
    },
  };
}

/**
 * A write built from a fresh read: called again for every try, so a retry never re-sends items computed
 * from what a concurrent write has since changed (decision 0407).
 */
type Rebuilt = () => Promise<readonly TransactItem[]>;

/**
 * Runs a write whose LAST item is the rate counter: a failed rate condition is the rate answer with
 * Retry-After, another failed condition is what `onCondition` names. Parallel writes of one partner contend
 * on the counter (and on the subscription): a transaction that lost such a race without a failed condition
 * of its own is tried again (`RACE`), and answered 409 `ConcurrentChange` if it keeps losing. A `Rebuilt`
 * write (conditional on the subscription's version) also reads and builds again after any failed condition
 * but the rate's: its conditions only say that someone else wrote first.
 */
async function writeCounted(caller: PartnerCaller, now: Date, items: readonly TransactItem[] | Rebuilt, onCondition: (error: ConditionFailed) => unknown): Promise<void> {
  const rebuilt = typeof items === 'function';
  await retry(
    async () => {
      const all = [...(rebuilt ? await items() : items), countWrite(caller, now)];
      try {
        await transact(all);
      } catch (error) {
        if (!(error instanceof ConditionFailed) || error.conflict) throw error;
        if (error.failedAt(all.length - 1)) throw notificationErrors.rateLimited(LIMITS.writesPerMinute, 60 - now.getUTCSeconds());
        if (rebuilt) throw error;
        throw onCondition(error);
      }
    },
    { retryable: (error) => error instanceof ConditionFailed && (error.conflict || rebuilt), exhausted: () => notificationErrors.concurrentChange() },
  );
}

/** Counts a write that changes no subscription row (a redrive) against the partner's rate. */
export const countPartnerWrite = (caller: PartnerCaller, now = new Date()) => writeCounted(caller, now, [], () => notificationErrors.concurrentChange());

export async function createSubscription(caller: PartnerCaller, input: SubscriptionInput, now = new Date()): Promise<{ subscription: SubscriptionView; secret: string }> {
  await requireKnownEntityTypes(caller.tenant, input.entityTypes);
  const subscriptionId = randomUUID();
  const secret = newSecret();
  await verifyEndpoint(input.url, subscriptionId, [secret], now);
  const at = now.toISOString();
  const row: StoredSubscription = {
    tenant: caller.tenant,
    partnerId: caller.partnerId,
    subscriptionId,
    url: input.url,
    entityTypes: [...new Set(input.entityTypes)],
    ...(input.notices ? { notices: [...new Set(input.notices)] } : {}),
    paused: false,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const secretId = secretIdAt(at);
  const items: TransactItem[] = [
    { Put: { TableName: tableName('main'), Item: { ...Subscription.key(caller.tenant, caller.partnerId, subscriptionId), entityType: ENTITY.subscription, ...row }, ConditionExpression: 'attribute_not_exists(PK)' } },
    {
      Update: {
        TableName: tableName('main'),
        Key: subscriptionCountKey(caller.tenant, caller.partnerId),
        UpdateExpression: 'ADD #n :one SET entityType = :type',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
        ExpressionAttributeNames: { '#n': 'subscriptions' },
        ExpressionAttributeValues: { ':one': 1, ':limit': LIMITS.subscriptionsPerPartner, ':type': ENTITY.counter },
      },
    },
    {
      Put: {
        TableName: tableName('keys'),
        Item: { ...secretKey(caller.tenant, caller.partnerId, subscriptionId, secretId), entityType: ENTITY.secret, subscriptionId, secretId, secret, createdAt: at },
      },
    },
  ];
  await writeCounted(caller, now, items, (error) => (error.failedAt(1) ? notificationErrors.subscriptionLimit(LIMITS.subscriptionsPerPartner) : notificationErrors.concurrentChange()));
  return { subscription: viewOf(row), secret };
}

export async function listSubscriptions(caller: PartnerCaller): Promise<SubscriptionView[]> {
  const rows = await queryAll('main', partition(subscriptionsPartition(caller.tenant, caller.partnerId), SUBSCRIPTION_SK_PREFIX));
  return rows.map((row) => viewOf(Subscription.parse(row)));
}

export async function loadSubscription(caller: PartnerCaller, subscriptionId: string): Promise<StoredSubscription> {
  const row = Subscription.parseOptional(await getRow('main', Subscription.key(caller.tenant, caller.partnerId, subscriptionId)));
  if (!row) throw notificationErrors.subscriptionNotFound(subscriptionId);
  return row;
}

export const getSubscription = async (caller: PartnerCaller, subscriptionId: string) => viewOf(await loadSubscription(caller, subscriptionId));

function requireVersion(current: StoredSubscription, expected: ExpectedVersion): void {
  if (expected.kind === 'oneOf' && !expected.versions.includes(String(current.version))) throw notificationErrors.versionMismatch();
}

/** PATCH: url (verified again with the current secrets), types, notice filter (`null` removes it), paused. */
export async function changeSubscription(caller: PartnerCaller, subscriptionId: string, change: SubscriptionChange, expected: ExpectedVersion, now = new Date()): Promise<SubscriptionView> {
  const current = await loadSubscription(caller, subscriptionId);
  requireVersion(current, expected);
  if (change.entityTypes) await requireKnownEntityTypes(caller.tenant, change.entityTypes);
  if (change.url !== undefined && change.url !== current.url) await verifyEndpoint(change.url, subscriptionId, await secretsOf(caller, subscriptionId, now), now);
  const { notices: _dropped, ...rest } = current;
  const next: StoredSubscription = {
    ...rest,
    url: change.url ?? current.url,
    entityTypes: change.entityTypes ? [...new Set(change.entityTypes)] : current.entityTypes,
    ...(change.notices === null ? {} : change.notices ? { notices: [...new Set(change.notices)] } : current.notices ? { notices: current.notices } : {}),
    paused: change.paused ?? current.paused,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  await writeCounted(
    caller,
    now,
    [{ Put: { TableName: tableName('main'), Item: next, ConditionExpression: 'version = :seen', ExpressionAttributeValues: { ':seen': current.version } } }],
    () => notificationErrors.concurrentChange(),
  );
  // What waited while paused goes out now rather than at its next look (decision 0414). The resume is committed:
  // a failed release only delays the rows to that look, it is no reason to answer the PATCH with an error.
  if (current.paused && !next.paused) {
    await releaseHeld(caller.tenant, caller.partnerId, subscriptionId, now).catch((error: unknown) =>
      logger.warn('Releasing held deliveries after a resume failed; the sweeper sends them at their next look', error as Error, { subscriptionId }),
    );
  }
  return viewOf(next);
}

/**
 * Deletes the subscription, its secrets and its place in the count; its pending deliveries lapse (the
 * sweeper drops them). The transaction holds the secrets that can still sign (at most
 * `SIGNING_SECRETS_AT_ONCE` by design, never more than `SECRET_ROWS_PER_WRITE`), so its size does not
 * grow with the subscription's history; rows that can no longer sign are removed after it. A delete that
 * lost a race to a rotation or change reads again (a gone subscription is then 404).
 */
export async function deleteSubscription(caller: PartnerCaller, subscriptionId: string, now = new Date()): Promise<void> {
  let ended: StoredSecret[] = [];
  await writeCounted(
    caller,
    now,
    async () => {
      const current = await loadSubscription(caller, subscriptionId);
      const rows = await secretRows(caller, subscriptionId);
      const signing = newestFirst(rows.filter((s) => stillValid(s, now))).slice(0, SECRET_ROWS_PER_WRITE);
      ended = rows.filter((s) => !signing.includes(s));
      return [
        { Delete: { TableName: tableName('main'), Key: Subscription.key(caller.tenant, caller.partnerId, subscriptionId), ConditionExpression: 'version = :seen', ExpressionAttributeValues: { ':seen': current.version } } },
        {
          Update: {
            TableName: tableName('main'),
            Key: subscriptionCountKey(caller.tenant, caller.partnerId),
            UpdateExpression: 'ADD #n :minusOne',
            ConditionExpression: '#n > :zero',
            ExpressionAttributeNames: { '#n': 'subscriptions' },
            ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
          },
        },
        ...signing.map((old): TransactItem => ({ Delete: { TableName: tableName('keys'), Key: secretKey(caller.tenant, caller.partnerId, subscriptionId, old.secretId) } })),
      ];
    },
    () => notificationErrors.subscriptionNotFound(subscriptionId),
  );
  await deleteRows('keys', ended.map((old) => secretKey(caller.tenant, caller.partnerId, subscriptionId, old.secretId)));
}

const stillValid = (secret: StoredSecret, now: Date) => secret.validUntil === undefined || secret.validUntil === null || Date.parse(secret.validUntil) > now.getTime();
const newestFirst = (secrets: readonly StoredSecret[]) => [...secrets].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.secretId < b.secretId ? 1 : -1));

/**
 * At most this many secrets sign a subscription's deliveries at once: the current one and, during the
 * overlap, the one it replaced (decision 0407). Deliveries carry at most this many `v1=` signatures.
 */
export const SIGNING_SECRETS_AT_ONCE = 2;
/** Secret rows one transaction removes at most (by design a subscription has no more than two). */
const SECRET_ROWS_PER_WRITE = 10;

/**
 * Rotation without downtime (decision 0407): a new secret, returned once; the current one keeps signing
 * beside it for `LIMITS.secretOverlapSeconds`, then expires. A secret still in its overlap from an earlier
 * rotation ends now and is removed, as is any expired one: at most two secrets sign, at most two rows
 * remain, and rotating twice retires a leaked secret at once. The transaction is conditional on the
 * subscription's version and bumps it, so two rotations cannot both build on the same secrets; the
 * loser reads again and rotates on top of the winner.
 */
export async function rotateSecret(caller: PartnerCaller, subscriptionId: string, now = new Date()): Promise<{ secret: string; previousSecretsValidUntil: string }> {
  const until = new Date(now.getTime() + LIMITS.secretOverlapSeconds * 1000).toISOString();
  const secret = newSecret();
  const at = now.toISOString();
  const secretId = secretIdAt(at);
  const keyOf = (id: string) => secretKey(caller.tenant, caller.partnerId, subscriptionId, id);
  await writeCounted(
    caller,
    now,
    async () => {
      const current = await loadSubscription(caller, subscriptionId);
      const rows = newestFirst(await secretRows(caller, subscriptionId));
      const replaced = rows.find((s) => stillValid(s, now));
      const removed = rows.filter((s) => s !== replaced).slice(0, SECRET_ROWS_PER_WRITE);
      const ends = replaced?.validUntil && Date.parse(replaced.validUntil) < Date.parse(until) ? replaced.validUntil : until;
      return [
        {
          Update: {
            TableName: tableName('main'),
            Key: Subscription.key(caller.tenant, caller.partnerId, subscriptionId),
            UpdateExpression: 'SET version = :next, updatedAt = :at',
            ConditionExpression: 'version = :seen',
            ExpressionAttributeValues: { ':seen': current.version, ':next': current.version + 1, ':at': at },
          },
        },
        { Put: { TableName: tableName('keys'), Item: { ...keyOf(secretId), entityType: ENTITY.secret, subscriptionId, secretId, secret, createdAt: at }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ...(replaced
          ? [{ Update: { TableName: tableName('keys'), Key: keyOf(replaced.secretId), UpdateExpression: 'SET validUntil = :until', ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeValues: { ':until': ends } } }]
          : []),
        ...removed.map((old): TransactItem => ({ Delete: { TableName: tableName('keys'), Key: keyOf(old.secretId) } })),
      ];
    },
    () => notificationErrors.concurrentChange(),
  );
  return { secret, previousSecretsValidUntil: until };
}

async function secretRows(caller: PartnerCaller, subscriptionId?: string): Promise<StoredSecret[]> {
  const rows = await queryAll('keys', partition(subscriptionsPartition(caller.tenant, caller.partnerId), secretPrefixOf(subscriptionId)));
  return rows.map((row) => SigningSecret.parse(row));
}

/** The secrets signing a subscription's deliveries now, newest first (the receiver's current secret leads). */
export async function secretsOf(caller: PartnerCaller, subscriptionId: string, now = new Date()): Promise<string[]> {
  // Bounded here too, whatever rows exist: a delivery never carries more than `SIGNING_SECRETS_AT_ONCE` signatures.
  return newestFirst((await secretRows(caller, subscriptionId)).filter((s) => stillValid(s, now)))
    .slice(0, SIGNING_SECRETS_AT_ONCE)
    .map((s) => s.secret);
}

/**
 * Every currently valid secret of the partner's subscriptions (contract with the purge side: a partner's
 * signed acknowledgement verifies against these). One Query of the key table.
 */
export async function activeSecretsOf(tenant: string, partnerId: string, now = new Date()): Promise<string[]> {
  return (await secretRows({ tenant, partnerId })).filter((s) => stillValid(s, now)).map((s) => s.secret);
}
