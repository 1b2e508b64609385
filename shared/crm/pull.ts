import * as z from 'zod/mini';
import { cursorBinding, invalidCursor, readCursor, writeCursor } from '../platform/cursor.js';
import { GSI2 } from '../platform/table-design.js';
import { queryAll, queryPage, type Row } from '../platform/table/index.js';
import { checkLeader, type ConsentRows, consentRowKeys, currentGrant, pickConsentRows, requireUsable, userReference } from '../profile/consent-port.js';
import { openSealed } from '../profile/items.js';
import { erasedRelationKey, guestPartition, ITEM_SK_PREFIX, RELATION_INDEX_SHARDS, relationIndexPartition, relationKey, settingsKey } from '../profile/keys.js';
import type { DataItem, RelationItem } from '../profile/model.js';
import { partnerRowKeys, requireRegisteredPartner } from '../profile/partner-port.js';
import { sharedTypesOf } from '../profile/settings.js';
import { Item, readRows } from '../profile/store.js';
import type { PartnerCaller } from './caller.js';
import { crmErrors } from './errors.js';
import { CRM_SHARDS, feedPartition } from './keys.js';
import { FEED_RETENTION_DAYS } from './notices.js';
import { shardedPage, shardPosition } from './sharded.js';

/**
 * The partner's pull API (issue 13, decision 0412): without a guest token, decided at read time on every call —
 * the relation (active, ended, erased), the tenant's shared types, the object's creator, the guest's consent for
 * the type and the reference's block. Nothing a request reads grows with the tenant: one page of one partner's
 * index (≤ 16 Queries), or one guest's relation, consent rows and one page of their items.
 */
export const PULL_PAGE_BYTES = 1024 * 1024;
export const GUESTS_MAX_LIMIT = 500;
export const CHANGES_MAX_LIMIT = 500;
export const DATA_MAX_LIMIT = 100;
/** The feed is read up to this far before now, so a notice committed a moment late is never skipped by the next `changedSince`. */
export const CHANGES_SETTLE_MS = 2000;

const bindingOf = (purpose: string, caller: PartnerCaller, ...more: string[]) => cursorBinding(purpose, caller.tenant, caller.partnerId, ...more);

/** The partner must exist and be unlocked in its tenant (a locked partner pulls nothing). */
async function requirePartner(caller: PartnerCaller): Promise<void> {
  const keys = partnerRowKeys(caller.tenant, caller.partnerId);
  await requireRegisteredPartner(caller.tenant, caller.partnerId, await readRows(keys));
}

const relationStateOf = (row: Row): 'active' | 'ended' => (typeof row.endedAt === 'string' ? 'ended' : 'active');

/** `GET /crm/guests`: the full sync's list of guests related to the partner (ended ones too: forget them; an erased guest is gone from it). */
export async function listGuests(caller: PartnerCaller, limit = 100, cursor?: string) {
  await requirePartner(caller);
  const binding = bindingOf('crm-guests', caller);
  const position = cursor ? readCursor(cursor, 'crm-guests', binding, shardPosition) : undefined;
  const page = await shardedPage({ shards: RELATION_INDEX_SHARDS, partition: (s) => relationIndexPartition(caller.tenant, caller.partnerId, s), index: GSI2, limit }, position);
  const guests = page.rows.map((row) => ({
    guest: String(row.guest),
    state: relationStateOf(row),
    since: String(row.since),
    ...(typeof row.endedAt === 'string' ? { endedAt: row.endedAt } : {}),
  }));
  return { guests, ...(page.next ? { next: writeCursor('crm-guests', binding, page.next) } : {}) };
}

const changesPosition = z.object({ ...shardPosition.shape, from: z.iso.datetime(), to: z.iso.datetime() });

/** A delta starts inside the feed's retention and not in the future. */
function requireFeedStart(since: Date, now: Date): void {
  if (since.getTime() < now.getTime() - FEED_RETENTION_DAYS * 24 * 3600 * 1000) throw crmErrors.changedSinceTooOld(FEED_RETENTION_DAYS);
  if (since.getTime() > now.getTime()) throw crmErrors.changedSinceInFuture();
}

/** Where a delta from `since` ends: the settle window before now, but never before `since` (a delta never goes back). */
const settledUntil = (since: Date, now: Date) => new Date(Math.max(since.getTime(), now.getTime() - CHANGES_SETTLE_MS));

/** `GET /crm/changes`: the notices recorded for the partner since `changedSince` (the change feed, 30 days). */
export async function listChanges(caller: PartnerCaller, options: { changedSince?: string; limit?: number; cursor?: string }, now = new Date()) {
  await requirePartner(caller);
  const binding = bindingOf('crm-changes', caller);
  let window: { from: string; to: string; s: number; k?: string };
  if (options.cursor) {
    window = readCursor(options.cursor, 'crm-changes', binding, changesPosition);
    // The cursor's binding is a hash anyone can compute: its window is held to the rules of `changedSince`.
    requireFeedStart(new Date(window.from), now);
    if (Date.parse(window.to) < Date.parse(window.from) || Date.parse(window.to) > settledUntil(new Date(window.from), now).getTime()) throw invalidCursor('window');
  } else {
    const since = new Date(options.changedSince!);
    requireFeedStart(since, now);
    window = { from: since.toISOString(), to: settledUntil(since, now).toISOString(), s: 0 };
  }
  const page = await shardedPage(
    // Sort keys are `<recordedAt>#<eventId>`: from the first instant of `from` to the last of `to`.
    { shards: CRM_SHARDS, partition: (s) => feedPartition(caller.tenant, caller.partnerId, s), from: window.from, to: `${window.to}#\uffff`, limit: options.limit ?? 100 },
    { s: window.s, ...(window.k ? { k: window.k } : {}) },
  );
  const changes = page.rows.map((row) => ({
    eventId: String(row.eventId),
    recordedAt: String(row.recordedAt),
    notice: String(row.notice),
    guest: String(row.guest),
    ...(typeof row.noticeEntityType === 'string' ? { entityType: row.noticeEntityType } : {}),
    ...(typeof row.itemId === 'string' ? { itemId: row.itemId } : {}),
    ...(typeof row.version === 'number' ? { version: row.version } : {}),
    ...(typeof row.purgeId === 'string' ? { purgeId: row.purgeId } : {}),
    causeEventId: String(row.causeEventId),
  }));
  const next = page.next ? writeCursor('crm-changes', binding, { ...page.next, from: window.from, to: window.to }) : undefined;
  // With no next page, `changedUntil` is the `changedSince` of the next delta.
  return { changes, changedUntil: window.to, ...(next ? { next } : {}) };
}

interface GuestView {
  readonly ref: string;
  readonly consent: ConsentRows;
  readonly sharedTypes: readonly string[];
}

/**
 * The read-time decision for one guest and type, in one BatchGet (relation, settings, partner, consent rows):
 * 404 without a relation, 410 when it ended, the profile was erased or the consent is not granted,
 * consent's 423 when the reference is blocked, 404 for a type the partner may not see at all.
 */
async function guestView(caller: PartnerCaller, guest: string, entityType: string): Promise<GuestView> {
  const { tenant, partnerId } = caller;
  const claim = await userReference(tenant, guest);
  let leader = claim;
  for (let attempt = 0; attempt < 4; attempt++) {
    const consentKeys = leader ? consentRowKeys(tenant, leader, entityType) : undefined;
    const rel = relationKey(tenant, guest, partnerId);
    const erased = erasedRelationKey(tenant, guest, partnerId);
    const rows = await readRows([rel, erased, settingsKey(tenant), ...partnerRowKeys(tenant, partnerId), ...(consentKeys?.main ?? [])], consentKeys?.keys ?? []);
    await requireRegisteredPartner(tenant, partnerId, rows);
    const relation = rows.main(rel) as RelationItem | undefined;
    // No relation: an erased profile's tombstone still says 410 (forget), otherwise the guest is unknown to the partner.
    if (!relation) throw rows.main(erased) ? crmErrors.profileErased() : crmErrors.guestNotFound();
    if (relation.endedAt) throw crmErrors.relationEnded();
    // A relation exists only after a call with a consent reference: none now means it was deleted with its data.
    if (!claim || !leader || !consentKeys) throw crmErrors.profileErased();
    const consent = pickConsentRows(consentKeys, rows);
    const check = checkLeader(consent, claim, leader);
    if (!check.ok) {
      leader = check.follow ?? (await userReference(tenant, guest));
      continue;
    }
    try {
      requireUsable(consent, leader, entityType);
    } catch (error) {
      if ((error as { code?: string }).code === 'ConsentReferenceBlocked') throw crmErrors.guestBlocked();
      throw error;
    }
    try {
      currentGrant(consent, leader, entityType);
    } catch {
      throw crmErrors.consentRevoked(entityType);
    }
    return { ref: leader, consent, sharedTypes: sharedTypesOf(rows.main(settingsKey(tenant))) };
  }
  throw crmErrors.profileErased();
}

const dataPosition = z.object({ k: z.string().check(z.startsWith(ITEM_SK_PREFIX), z.maxLength(2048)) });

/** `GET /crm/guests/{guest}/data/{entityType}`: the objects of one type the partner may see, decrypted, paged. */
export async function guestData(caller: PartnerCaller, guest: string, entityType: string, limit = 50, cursor?: string, admitted: Promise<void> = Promise.resolve()) {
  const view = await guestView(caller, guest, entityType);
  const binding = bindingOf('crm-data', caller, guest, entityType);
  const position = cursor ? readCursor(cursor, 'crm-data', binding, dataPosition) : undefined;
  const prefix = `${ITEM_SK_PREFIX}${entityType}#`;
  if (position && !position.k.startsWith(prefix)) throw invalidCursor('position');
  const pk = guestPartition(caller.tenant, guest);
  const page = await queryPage(
    'main',
    { KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)', ExpressionAttributeValues: { ':pk': pk, ':sk': prefix }, Limit: limit },
    position ? { PK: pk, SK: position.k } : undefined,
  );
  // Nothing is decrypted for a request over the partner's rate (decision 0404).
  await admitted;
  const items: unknown[] = [];
  let bytes = 0;
  let last: string | undefined;
  for (const row of page.rows) {
    let entry: Awaited<ReturnType<typeof entryOf>>;
    try {
      entry = await entryOf(caller, view, row, entityType);
    } catch (error) {
      // Sealed under a grant revoked before the current one: gone for good (the partner had its purge then).
      if ((error as { kind?: string }).kind !== 'Gone') throw error;
    }
    if (entry) {
      bytes += Buffer.byteLength(JSON.stringify(entry), 'utf8');
      // 100 objects of 64 KiB would exceed Lambda's 6 MB: a page also ends at about 1 MiB (decision 0042).
      if (items.length > 0 && bytes > PULL_PAGE_BYTES) return { guest, entityType, items, next: writeCursor('crm-data', binding, { k: last! }) };
      items.push(entry);
    }
    last = String(row.SK);
  }
  const more = page.lastKey ? String((page.lastKey as Row).SK) : undefined;
  return { guest, entityType, items, ...(more ? { next: writeCursor('crm-data', binding, { k: more }) } : {}) };
}

/** One object as the pull answers it, or undefined when the partner may not see it (not shared, not its apps'). */
async function entryOf(caller: PartnerCaller, view: GuestView, row: Row, entityType: string) {
  const item = Item.parse(row) as DataItem;
  if (!view.sharedTypes.includes(entityType) && item.governance.partnerId !== caller.partnerId) return undefined;
  const data = await openSealed(caller.tenant, view.consent, view.ref, item);
  return {
    itemId: item.id, name: item.name, version: item.version, createdAt: item.createdAt, updatedAt: item.updatedAt,
    ...(item.governance.partnerId ? { createdBy: item.governance.partnerId } : {}), data,
  };
}

/**
 * `GET /crm/guests/{guest}/data/{entityType}/{itemId}`: the object a notice names, by its id. The guest's objects
 * of the type are searched by id with only keys and ids projected (bounded by the guest's quota, not the tenant),
 * then the one found is read. 404 when it is gone or not the partner's to see; the read-time decision as above.
 */
export async function guestItem(caller: PartnerCaller, guest: string, entityType: string, itemId: string, admitted: Promise<void> = Promise.resolve()) {
  const view = await guestView(caller, guest, entityType);
  const pk = guestPartition(caller.tenant, guest);
  const [found] = await queryAll('main', {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    FilterExpression: '#id = :id',
    ProjectionExpression: 'SK, #id',
    ExpressionAttributeNames: { '#id': 'id' },
    ExpressionAttributeValues: { ':pk': pk, ':sk': `${ITEM_SK_PREFIX}${entityType}#`, ':id': itemId },
  });
  const key = found ? { PK: pk, SK: String(found.SK) } : undefined;
  const row = key ? (await readRows([key])).main(key) : undefined;
  await admitted;
  const entry = row && row.id === itemId ? await entryOf(caller, view, row, entityType) : undefined;
  if (!entry) throw crmErrors.itemNotFound(entityType);
  return { guest, entityType, ...entry };
}
