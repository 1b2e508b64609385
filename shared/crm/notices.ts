import { continuationId, handOn } from '../platform/continuation.js';
import { confirmedByConsumer } from '../platform/outbox.js';
import { ConditionFailed, queryAll, queryPage, RACE, retry, type Row, type TransactItem, transact } from '../platform/table/index.js';
import { erasedRelationKey, erasedRelationPartition, guestPartition, ITEM_SK_PREFIX, RELATION_SK_PREFIX, relationKey } from '../profile/keys.js';
import { sharedTypes } from '../profile/settings.js';
import { mainTable, readRows } from '../profile/store.js';
import { type Cause, endedBeforeErasure, fansOut, recipients, type RelationView } from './audience.js';
import { type CrmEventDetail, crmEventPut, crmEvents, type PartnerNoticeKind } from './events.js';
import { CRM_ENTITY, crmShard, feedPartition, feedSortKey, guestPurgePartition, pendingPurgePartition, purgeKey, purgeSortKey } from './keys.js';

/**
 * The audience's writes (decision 0411): for one cause, one page of the guest's relations, and for each
 * entitled partner one transaction holding its `PartnerNotice` (outbox), its change-feed row and, when the
 * cause requires a purge, the purge record and the `purge.required` notice. Ids are derived from (cause,
 * partner), every put is conditional, so a redelivered cause or a re-run page writes nothing twice.
 */
export const RELATION_PAGE = 25;
/** Parallel recipient transactions per invocation. */
const PARALLEL_WRITES = 8;
/** How long a change-feed row stays (`changedSince` further back answers 400: do a full sync). */
export const FEED_RETENTION_DAYS = 30;

type Notice = Omit<CrmEventDetail<'PartnerNotice'>, 'eventId' | 'occurredAt'>;

export const noticeId = (causeEventId: string, cause: Cause, partnerId: string, notice: PartnerNoticeKind) =>
  continuationId('PartnerNotice', causeEventId, cause.entityType ?? '*', partnerId, notice);
/**
 * A purge's id. A relation the guest ended before any erasure has one purge, derived from the relation's end
 * (kept by the live relation and by its erasure tombstone alike), so `relation.ended` and `profile.erased` write
 * the same purge whichever comes first, and the second writes nothing (decision 0420). Any other purge: per cause.
 */
export function purgeIdOf(guest: string, causeEventId: string, cause: Cause, relation: RelationView): string {
  if ((cause.notice === 'relation.ended' || cause.notice === 'profile.erased') && endedBeforeErasure(relation)) {
    return continuationId('Purge', 'relation-ended', guest, relation.partnerId, relation.endedAt!);
  }
  return continuationId('Purge', causeEventId, cause.entityType ?? '*', relation.partnerId);
}

const relationView = (row: Row): RelationView => ({
  partnerId: String(row.partnerId),
  ...(typeof row.endedAt === 'string' ? { endedAt: row.endedAt } : {}),
  ...(typeof row.erasedAt === 'string' ? { erasedAt: row.erasedAt } : {}),
});

function feedRow(notice: Notice, eventId: string, now: Date) {
  const recordedAt = now.toISOString();
  // Every row's `entityType` names the row's kind; the notice's entity type is kept apart.
  const { entityType, ...members } = notice;
  return {
    Put: {
      TableName: mainTable(),
      Item: {
        PK: feedPartition(notice.tenant, notice.partnerId, crmShard(notice.guest)),
        SK: feedSortKey(recordedAt, eventId),
        entityType: CRM_ENTITY.feed,
        ...members,
        ...(entityType ? { noticeEntityType: entityType } : {}),
        eventId,
        recordedAt,
        expiresAt: Math.floor(now.getTime() / 1000) + FEED_RETENTION_DAYS * 24 * 3600,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  } satisfies TransactItem;
}

function purgeRow(notice: Notice, purgeId: string, cause: Cause, now: Date) {
  const createdAt = now.toISOString();
  return {
    Put: {
      TableName: mainTable(),
      Item: {
        ...purgeKey(notice.tenant, purgeId),
        entityType: CRM_ENTITY.purge,
        tenant: notice.tenant,
        purgeId,
        partnerId: notice.partnerId,
        guest: notice.guest,
        reason: cause.notice,
        ...(cause.entityType ? { entityTypes: [cause.entityType] } : {}),
        causeEventId: notice.causeEventId,
        createdAt,
        // Pending: in the partner's index until acknowledged (sparse GSI1); the guest's index keeps it.
        GSI1PK: pendingPurgePartition(notice.tenant, notice.partnerId, crmShard(notice.guest)),
        GSI1SK: purgeSortKey(createdAt, purgeId),
        GSI2PK: guestPurgePartition(notice.tenant, notice.guest),
        GSI2SK: purgeSortKey(createdAt, purgeId),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  } satisfies TransactItem;
}

/**
 * Everything one recipient gets for one cause, in one transaction (the recipient's relation decides a purge's
 * id; a bare partner id is an active relation). A purge written before by the other cause fails the whole
 * transaction: that partner was told already.
 */
export function recipientWrites(tenant: string, guest: string, causeEventId: string, cause: Cause, recipient: string | RelationView, now = new Date()): TransactItem[] {
  const relation = typeof recipient === 'string' ? { partnerId: recipient } : recipient;
  const { partnerId } = relation;
  const purgeId = cause.purge ? purgeIdOf(guest, causeEventId, cause, relation) : undefined;
  const base = { tenant, partnerId, guest, causeEventId };
  const main: Notice = {
    ...base,
    notice: cause.notice,
    ...(cause.entityType ? { entityType: cause.entityType } : {}),
    ...(cause.itemId ? { itemId: cause.itemId } : {}),
    ...(cause.version !== undefined ? { version: cause.version } : {}),
    ...(purgeId ? { purgeId } : {}),
  };
  const mainId = noticeId(causeEventId, cause, partnerId, cause.notice);
  // Each notice waits for the dispatcher's confirmation, not the bus's (decision 0421): never lost to a failing consumer.
  const notice = (detail: Notice, id: string) => confirmedByConsumer(crmEventPut('PartnerNotice', detail, id));
  const writes: TransactItem[] = [notice(main, mainId), feedRow(main, mainId, now)];
  if (purgeId) {
    const purge: Notice = { ...base, notice: 'purge.required', ...(cause.entityType ? { entityType: cause.entityType } : {}), purgeId };
    const purgeNoticeId = noticeId(causeEventId, cause, partnerId, 'purge.required');
    writes.push(purgeRow(main, purgeId, cause, now), notice(purge, purgeNoticeId), feedRow(purge, purgeNoticeId, now));
  }
  return writes;
}

/** Writes a recipient's notices; already written (a redelivery, a re-run page) is success. Answers whether it wrote. */
async function notify(writes: TransactItem[]): Promise<boolean> {
  return retry(
    async () => {
      try {
        await transact(writes);
        return true;
      } catch (error) {
        // A failed condition: written before. A lost race with a concurrent run of the same page: try again.
        if (error instanceof ConditionFailed && !error.conflict) return false;
        throw error;
      }
    },
    { policy: RACE, retryable: (error) => error instanceof ConditionFailed },
  );
}

/** The partners whose apps created objects of `entityType` in the guest's profile (bounded by the guest's quota). */
async function creatorsOf(tenant: string, guest: string, entityType: string): Promise<Set<string>> {
  const rows = await queryAll('main', {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': guestPartition(tenant, guest), ':sk': `${ITEM_SK_PREFIX}${entityType}#` },
    ProjectionExpression: 'governance.partnerId',
  });
  return new Set(rows.map((row) => (row.governance as { partnerId?: string } | undefined)?.partnerId).filter((id): id is string => Boolean(id)));
}

/** One page of the guest's relations after `after` (a relation's sort key), or the one relation the cause names. */
async function relationsPage(tenant: string, guest: string, cause: Cause, shared: readonly string[], after?: string): Promise<{ relations: RelationView[]; last?: string }> {
  if (!fansOut(cause, shared)) {
    if (!cause.creator) return { relations: [] };
    // After `DELETE /me` the relation is gone; its tombstone keeps when it ended (decision 0420).
    const key = relationKey(tenant, guest, cause.creator);
    const tombstone = erasedRelationKey(tenant, guest, cause.creator);
    const rows = await readRows([key, tombstone]);
    const row = rows.main(key) ?? rows.main(tombstone);
    return { relations: row ? [relationView(row)] : [] };
  }
  // After `DELETE /me` the relations are gone from the guest's partition; their tombstones remain (decision 0413).
  const pk = cause.erased ? erasedRelationPartition(tenant, guest) : guestPartition(tenant, guest);
  const page = await queryPage(
    'main',
    {
      KeyConditionExpression: after ? 'PK = :pk AND SK BETWEEN :after AND :end' : 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: after
        ? { ':pk': pk, ':after': `${after}\u0000`, ':end': `${RELATION_SK_PREFIX}\uffff` }
        : { ':pk': pk, ':sk': RELATION_SK_PREFIX },
      Limit: RELATION_PAGE,
    },
  );
  const last = page.lastKey ? String((page.lastKey as { SK: string }).SK) : undefined;
  return { relations: page.rows.map(relationView), ...(last ? { last } : {}) };
}

export interface AnnounceOutcome {
  readonly recipients: number;
  readonly written: number;
  readonly continued: boolean;
}

/**
 * One bounded step of the audience: decides on ≤ `RELATION_PAGE` relations, writes their notices, and hands
 * the rest on (`PartnerNoticesContinued`, decision 0208) when the guest has more relations.
 */
export async function announce(tenant: string, guest: string, causeEventId: string, cause: Cause, after?: string): Promise<AnnounceOutcome> {
  const shared = await sharedTypes(tenant);
  const { relations, last } = await relationsPage(tenant, guest, cause, shared, after);
  const needsCreators = cause.notice === 'consent.revoked' && cause.entityType !== undefined && !shared.includes(cause.entityType);
  const creatorsOfType = needsCreators ? await creatorsOf(tenant, guest, cause.entityType!) : undefined;
  const partners = recipients({ cause, relations, sharedTypes: shared, creatorsOfType });
  const relationOf = new Map(relations.map((relation) => [relation.partnerId, relation]));
  let written = 0;
  for (let i = 0; i < partners.length; i += PARALLEL_WRITES) {
    const done = await Promise.all(partners.slice(i, i + PARALLEL_WRITES).map((partnerId) => notify(recipientWrites(tenant, guest, causeEventId, cause, relationOf.get(partnerId)!))));
    written += done.filter(Boolean).length;
  }
  if (last) {
    await handOn(crmEvents.PartnerNoticesContinued, { tenant, guest, causeEventId, cause: causeMembers(cause), cursor: Buffer.from(last, 'utf8').toString('base64url') }, [causeEventId, cause.entityType ?? '*', last]);
  }
  return { recipients: partners.length, written, continued: last !== undefined };
}

/** The cause as the continuation carries it. */
const causeMembers = (cause: Cause): CrmEventDetail<'PartnerNoticesContinued'>['cause'] => ({
  notice: cause.notice,
  purge: cause.purge,
  ...(cause.entityType ? { entityType: cause.entityType } : {}),
  ...(cause.itemId ? { itemId: cause.itemId } : {}),
  ...(cause.version !== undefined ? { version: cause.version } : {}),
  ...(cause.creator ? { creator: cause.creator } : {}),
  ...(cause.erased ? { erased: true } : {}),
});

/** The continuation's next page (its cursor is the last relation's sort key). */
export function continueAnnouncing(detail: CrmEventDetail<'PartnerNoticesContinued'>): Promise<AnnounceOutcome> {
  const after = Buffer.from(detail.cursor, 'base64url').toString('utf8');
  if (!after.startsWith(RELATION_SK_PREFIX)) throw new Error('PartnerNoticesContinued cursor is not a relation key');
  const { notice } = detail.cause;
  if (notice === 'purge.required') throw new Error('PartnerNoticesContinued cannot continue a purge notice');
  return announce(detail.tenant, detail.guest, detail.causeEventId, { ...detail.cause, notice }, after);
}

/** Every cause of one domain event, each its first page (an event with nothing for partners announces nothing). */
export async function announceCauses(tenant: string, causeEventId: string, of: { guest: string; causes: readonly Cause[] } | undefined): Promise<AnnounceOutcome[]> {
  const outcomes: AnnounceOutcome[] = [];
  for (const cause of of?.causes ?? []) outcomes.push(await announce(tenant, of!.guest, causeEventId, cause));
  return outcomes;
}
