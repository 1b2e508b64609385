import { randomBytes, randomUUID } from 'node:crypto';
import { loadMetamodel } from '../consent/store.js';
import { ConditionFailed, getRow, partition, queryAll, retry, type TransactItem, tableName, transact } from '../platform/table/index.js';
import type { ExpectedVersion } from '../platform/versions.js';
import { notificationErrors } from './errors.js';
import { checkEndpoint } from './endpoint.js';
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
 * Runs a write whose LAST item is the rate counter: a failed rate condition is the 409 with Retry-After,
 * another failed condition is what `onCondition` names. Parallel writes of one partner contend on the
 * counter (and on the subscription): a transaction that lost such a race without a failed condition of
 * its own is tried again (`RACE`), and answered 409 `ConcurrentChange` if it keeps losing.
 */
async function writeCounted(caller: PartnerCaller, now: Date, items: readonly TransactItem[], onCondition: (error: ConditionFailed) => unknown): Promise<void> {
  const all = [...items, countWrite(caller, now)];
  await retry(
    async () => {
      try {
        await transact(all);
      } catch (error) {
        if (!(error instanceof ConditionFailed) || error.conflict) throw error;
        if (error.failedAt(all.length - 1)) throw notificationErrors.rateLimited(LIMITS.writesPerMinute, 60 - now.getUTCSeconds());
        throw onCondition(error);
      }
    },
    { retryable: (error) => error instanceof ConditionFailed && error.conflict, exhausted: () => notificationErrors.concurrentChange() },
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
  return viewOf(next);
}

/** Deletes the subscription, its secrets and its place in the count; its pending deliveries lapse (the sweeper drops them). */
export async function deleteSubscription(caller: PartnerCaller, subscriptionId: string, now = new Date()): Promise<void> {
  const current = await loadSubscription(caller, subscriptionId);
  const secrets = await queryAll('keys', partition(subscriptionsPartition(caller.tenant, caller.partnerId), secretPrefixOf(subscriptionId)));
  await writeCounted(
    caller,
    now,
    [
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
      ...secrets.map((row): TransactItem => ({ Delete: { TableName: tableName('keys'), Key: { PK: row.PK, SK: row.SK } } })),
    ],
    () => notificationErrors.subscriptionNotFound(subscriptionId),
  );
}

const stillValid = (secret: StoredSecret, now: Date) => secret.validUntil === undefined || secret.validUntil === null || Date.parse(secret.validUntil) > now.getTime();

/**
 * Rotation without downtime: a new secret, returned once; every older secret still valid keeps signing
 * beside it for `LIMITS.secretOverlapSeconds` (deliveries carry one `v1=` per valid secret), then expires.
 */
export async function rotateSecret(caller: PartnerCaller, subscriptionId: string, now = new Date()): Promise<{ secret: string; previousSecretsValidUntil: string }> {
  const current = await loadSubscription(caller, subscriptionId);
  const existing = (await secretRows(caller, subscriptionId)).filter((s) => stillValid(s, now));
  const until = new Date(now.getTime() + LIMITS.secretOverlapSeconds * 1000);
  const secret = newSecret();
  const at = now.toISOString();
  const secretId = secretIdAt(at);
  const items: TransactItem[] = [
    // The subscription must still be there (a rotation racing a delete writes nothing).
    { ConditionCheck: { TableName: tableName('main'), Key: Subscription.key(caller.tenant, caller.partnerId, subscriptionId), ConditionExpression: 'version = :seen', ExpressionAttributeValues: { ':seen': current.version } } },
    {
      Put: {
        TableName: tableName('keys'),
        Item: { ...secretKey(caller.tenant, caller.partnerId, subscriptionId, secretId), entityType: ENTITY.secret, subscriptionId, secretId, secret, createdAt: at },
      },
    },
    ...existing.map(
      (old): TransactItem => {
        const ends = old.validUntil && Date.parse(old.validUntil) < until.getTime() ? old.validUntil : until.toISOString();
        return {
          Update: {
            TableName: tableName('keys'),
            Key: secretKey(caller.tenant, caller.partnerId, subscriptionId, old.secretId),
            UpdateExpression: 'SET validUntil = :until',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':until': ends },
          },
        };
      },
    ),
  ];
  await writeCounted(caller, now, items, () => notificationErrors.concurrentChange());
  return { secret, previousSecretsValidUntil: until.toISOString() };
}

async function secretRows(caller: PartnerCaller, subscriptionId?: string): Promise<StoredSecret[]> {
  const rows = await queryAll('keys', partition(subscriptionsPartition(caller.tenant, caller.partnerId), secretPrefixOf(subscriptionId)));
  return rows.map((row) => SigningSecret.parse(row));
}

/** The secrets signing a subscription's deliveries now, newest first (the receiver's current secret leads). */
export async function secretsOf(caller: PartnerCaller, subscriptionId: string, now = new Date()): Promise<string[]> {
  return (await secretRows(caller, subscriptionId))
    .filter((s) => stillValid(s, now))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .map((s) => s.secret);
}

/**
 * Every currently valid secret of the partner's subscriptions (contract with the purge side: a partner's
 * signed acknowledgement verifies against these). One Query of the key table.
 */
export async function activeSecretsOf(tenant: string, partnerId: string, now = new Date()): Promise<string[]> {
  return (await secretRows({ tenant, partnerId })).filter((s) => stillValid(s, now)).map((s) => s.secret);
}
