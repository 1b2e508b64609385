import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { activeSecretsOf } from '../notifications/subscriptions.js';
import { checkSignature } from '../notifications/signing.js';
import { cursorBinding, readCursor, writeCursor } from '../platform/cursor.js';
import { GSI1, GSI2 } from '../platform/table-design.js';
import { ConditionFailed, putRow, isConditionalCheckFailed, queryPage, RACE, retry, type Row, transact } from '../platform/table/index.js';
import type { GuestCaller } from '../profile/caller.js';
import { readRows, mainTable } from '../profile/store.js';
import type { PartnerCaller } from './caller.js';
import { countedRead } from './rate.js';
import { crmErrors } from './errors.js';
import { crmEventPut } from './events.js';
import { CRM_ENTITY, CRM_SHARDS, guestPurgePartition, pendingPurgePartition, purgeKey, usedSignatureKey } from './keys.js';
import { shardedPage, shardPosition } from './sharded.js';

/**
 * Purges (issue 13, decision 0413): one record per cause and partner that must delete what it holds of a guest,
 * written by the audience with the `purge.required` notice. The partner lists its pending purges and
 * acknowledges each with a request signed by its subscription secret; the guest sees which partners confirmed.
 */
export const PURGES_MAX_LIMIT = 500;
/** The replay window: a signature is accepted within 5 minutes of its timestamp, and remembered a little longer. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const USED_SIGNATURE_SECONDS = 2 * SIGNATURE_TOLERANCE_SECONDS + 60;

export interface PurgeView {
  readonly purgeId: string;
  readonly partnerId: string;
  readonly guest: string;
  readonly reason: string;
  readonly entityTypes?: readonly string[];
  readonly createdAt: string;
  readonly acknowledgedAt?: string;
}

const viewOf = (row: Row): PurgeView => ({
  purgeId: String(row.purgeId),
  partnerId: String(row.partnerId),
  guest: String(row.guest),
  reason: String(row.reason),
  ...(Array.isArray(row.entityTypes) ? { entityTypes: row.entityTypes as string[] } : {}),
  createdAt: String(row.createdAt),
  ...(typeof row.acknowledgedAt === 'string' ? { acknowledgedAt: row.acknowledgedAt } : {}),
});

/** `GET /crm/purges`: the partner's purges not yet acknowledged, oldest first per shard. */
export async function listPendingPurges(caller: PartnerCaller, limit = 100, cursor?: string) {
  const binding = cursorBinding('crm-purges', caller.tenant, caller.partnerId);
  const position = cursor ? readCursor(cursor, 'crm-purges', binding, shardPosition) : undefined;
  const page = await shardedPage({ shards: CRM_SHARDS, partition: (s) => pendingPurgePartition(caller.tenant, caller.partnerId, s), index: GSI1, limit }, position);
  const purges = page.rows.map(viewOf).map(({ partnerId: _partner, ...purge }) => purge);
  return { purges, ...(page.next ? { next: writeCursor('crm-purges', binding, page.next) } : {}) };
}

const guestPosition = z.object({ k: z.string().check(z.minLength(1), z.maxLength(200)) });

/**
 * `GET /me/purges`: the guest's purges by partner with their acknowledgement (GSI2, newest last). It names every
 * partner the guest left, so like the export and the access overview it is for the platform's own pages only: the
 * route is marked `guestVia: 'platform-pages'` and the route policy refuses an app's token before this runs (decision 0127).
 */
export async function listGuestPurges(caller: GuestCaller, limit = 100, cursor?: string) {
  const { tenant, guest } = caller;
  const binding = cursorBinding('me-purges', tenant, guest);
  const after = cursor ? readCursor(cursor, 'me-purges', binding, guestPosition).k : undefined;
  const page = await queryPage('main', {
    IndexName: GSI2.name,
    KeyConditionExpression: after ? 'GSI2PK = :pk AND GSI2SK > :after' : 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': guestPurgePartition(tenant, guest), ...(after ? { ':after': after } : {}) },
    Limit: limit,
  });
  const purges = page.rows.map(viewOf).map(({ guest: _guest, ...purge }) => ({ ...purge, acknowledged: purge.acknowledgedAt !== undefined }));
  const last = page.lastKey ? String((page.lastKey as Row).GSI2SK) : undefined;
  return { purges, ...(last ? { next: writeCursor('me-purges', binding, { k: last }) } : {}) };
}

export interface Acknowledgement {
  readonly purge: PurgeView;
  /** False when an earlier acknowledgement had recorded it already (idempotent). */
  readonly recorded: boolean;
}

/**
 * The replay guard's key: partner, the signed timestamp as the verifier parsed it (a number: `t=0…` or spaces
 * are the same) and the body. Not the matched `v1=`: during a rotation's overlap the same body and timestamp
 * signed with the other secret is still the same acknowledgement, and must not count as a new one.
 */
const signatureDigest = (caller: PartnerCaller, timestamp: number, body: string) =>
  createHash('sha256').update(`${caller.partnerId}\u0000${timestamp}\u0000${body}`).digest('base64url');

function usedSignaturePut(caller: PartnerCaller, digest: string, now: Date) {
  return {
    Put: {
      TableName: mainTable(),
      Item: { ...usedSignatureKey(caller.tenant, digest), entityType: CRM_ENTITY.usedSignature, expiresAt: Math.floor(now.getTime() / 1000) + USED_SIGNATURE_SECONDS },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/**
 * `POST /crm/purges/{purgeId}/acknowledgement`: verified over the exact body with the partner's active
 * subscription secrets (401 missing, 403 invalid, 400 stale), the body must name the purge; a signature used
 * before is 409. The first acknowledgement records it (and `PurgeAcknowledged`) in one transaction with the
 * replay guard; later ones answer the recorded state. Nothing is written for a refused request.
 */
export async function acknowledgePurge(caller: PartnerCaller, purgeId: string, bodyPurgeId: string, rawBody: string, header: string | undefined, now = new Date()): Promise<Acknowledgement> {
  // Counted before anything is written, beside the secrets' read: a refused acknowledgement changes nothing (decision 0404).
  const secrets = await countedRead(caller, async () => (header ? activeSecretsOf(caller.tenant, caller.partnerId, now) : []), now);
  const check = checkSignature(header, rawBody, secrets, Math.floor(now.getTime() / 1000), SIGNATURE_TOLERANCE_SECONDS);
  if (check.verdict === 'missing') throw crmErrors.signatureMissing();
  if (check.verdict === 'invalid') throw crmErrors.signatureInvalid();
  if (check.verdict === 'stale') throw crmErrors.signatureStale();
  if (bodyPurgeId !== purgeId) throw crmErrors.bodyNamesOtherPurge();
  const digest = signatureDigest(caller, check.timestamp, rawBody);
  return retry(
    async () => {
      const key = purgeKey(caller.tenant, purgeId);
      const row = (await readRows([key])).main(key);
      if (!row || row.partnerId !== caller.partnerId) throw crmErrors.purgeNotFound();
      const purge = viewOf(row);
      if (purge.acknowledgedAt) return { purge, recorded: await rememberSignature(caller, digest, now).then(() => false) };
      const acknowledgedAt = now.toISOString();
      try {
        await transact([
          usedSignaturePut(caller, digest, now),
          {
            Update: {
              TableName: mainTable(),
              Key: key,
              // Leaves the partner's pending index (sparse GSI1); the guest's index keeps it.
              UpdateExpression: 'SET acknowledgedAt = :at REMOVE GSI1PK, GSI1SK',
              ConditionExpression: 'attribute_exists(PK) AND partnerId = :partner AND attribute_not_exists(acknowledgedAt)',
              ExpressionAttributeValues: { ':at': acknowledgedAt, ':partner': caller.partnerId },
            },
          },
          crmEventPut('PurgeAcknowledged', { tenant: caller.tenant, partnerId: caller.partnerId, guest: purge.guest, purgeId, acknowledgedAt }),
        ]);
      } catch (error) {
        if (error instanceof ConditionFailed && error.failedAt(0)) throw crmErrors.signatureReplayed();
        throw error; // acknowledged meanwhile, or a lost race: read again
      }
      return { purge: { ...purge, acknowledgedAt }, recorded: true };
    },
    { policy: RACE, retryable: (error) => error instanceof ConditionFailed, exhausted: () => crmErrors.concurrentAcknowledgement() },
  );
}

/** An acknowledgement of an already acknowledged purge still uses up its signature. */
async function rememberSignature(caller: PartnerCaller, digest: string, now: Date): Promise<void> {
  try {
    await putRow(usedSignaturePut(caller, digest, now).Put);
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw crmErrors.signatureReplayed();
    throw error;
  }
}
