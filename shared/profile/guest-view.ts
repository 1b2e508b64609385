import * as z from 'zod/mini';
import { cursorBinding, readCursor, writeCursor } from '../platform/cursor.js';
import type { GuestCaller } from './caller.js';
import { consentSummary, historyPage, userReference } from './consent-port.js';
import { loadContext } from './context.js';
import { profileErrors } from './errors.js';
import { openItem } from './items.js';
import { guestPartition, IMPORTED_SK_PREFIX, ITEM_SK_PREFIX, RELATION_SK_PREFIX, SHARE_POINTER_SK_PREFIX } from './keys.js';
import type { DataItem, RelationItem } from './model.js';
import { relationState, roleOf } from './policy.js';
import { sharedTypes } from './settings.js';
import { relationApps } from './relations.js';
import { listShares, shareSummary } from './shares.js';
import { Imported, Item, queryAll, queryPage, Relation, type Row, SharePointer } from './store.js';

/**
 * The mydata principle: the guest sees everything stored about them (export) and who can read what
 * (access). Both are the guest's own view on the platform's pages: a partner app would otherwise see
 * other partners' data, so a token issued to a partner app gets 403. The route policy decides it first, from
 * the routes' `guestVia: 'platform-pages'` (decision 0127); this check is the domain's defence in depth.
 */
export function requirePlatformPages(caller: GuestCaller): void {
  if (caller.partnerId) throw profileErrors.platformPagesOnly();
}

/** The guest's whole partition, split by kind: one Query. */
export async function loadProfile(caller: GuestCaller) {
  const rows = await queryAll(guestPartition(caller.tenant, caller.guest));
  const of = (prefix: string) => rows.filter((r: Row) => String(r.SK).startsWith(prefix));
  return {
    rows,
    items: of(ITEM_SK_PREFIX).map((row) => Item.parse(row)),
    relations: of(RELATION_SK_PREFIX).map((row) => Relation.parse(row)),
    pointers: of(SHARE_POINTER_SK_PREFIX).map((row) => SharePointer.parse(row)),
    imported: of(IMPORTED_SK_PREFIX).map((row) => Imported.parse(row)),
  };
}

/**
 * The export is paged: Lambda answers at most 6 MB synchronously, and a guest may store far more. A page
 * holds at most `limit` items and about `EXPORT_PAGE_BYTES` of JSON (items first, in key order, then the
 * consent history); the first page also holds the profile's small parts (consent summary, relations,
 * shares). `next` is an opaque cursor bound to the guest; the pages together are the whole document.
 */
export const EXPORT_PAGE_BYTES = 1024 * 1024;
export const EXPORT_DEFAULT_LIMIT = 50;
export const EXPORT_MAX_LIMIT = 100;

const EXPORT_CURSOR = 'profile-export';
const exportPosition = z.object({
  /** The section the next page starts in. */
  s: z.enum(['items', 'history']),
  /** items: the sort key of the last item exported. */
  k: z.optional(z.string().check(z.startsWith(ITEM_SK_PREFIX), z.maxLength(2048))),
  /** history: consent's own history cursor. */
  h: z.optional(z.string().check(z.maxLength(2048))),
  /** When the export started, and the page number. */
  t: z.iso.datetime(),
  n: z.number().check(z.int(), z.minimum(2), z.maximum(1_000_000)),
});
type ExportPosition = z.infer<typeof exportPosition>;

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** `GET /me/export?limit=&next=`: one page of everything stored about the guest (items decrypted where consent allows). */
export async function exportProfile(caller: GuestCaller, options: { limit?: number; cursor?: string } = {}) {
  requirePlatformPages(caller);
  const limit = Math.min(Math.max(options.limit ?? EXPORT_DEFAULT_LIMIT, 1), EXPORT_MAX_LIMIT);
  const binding = cursorBinding(EXPORT_CURSOR, caller.tenant, caller.guest);
  const position: ExportPosition | undefined = options.cursor ? readCursor(options.cursor, EXPORT_CURSOR, binding, exportPosition) : undefined;
  const exportedAt = position?.t ?? new Date().toISOString();
  const pageNumber = position?.n ?? 1;
  const ref = await userReference(caller.tenant, caller.guest);
  const summary = ref ? await consentSummary(caller.tenant, ref) : undefined;
  const partition = guestPartition(caller.tenant, caller.guest);

  let head: Record<string, unknown> = {};
  if (!position) {
    const [relations, imported] = await Promise.all([queryAll(partition, RELATION_SK_PREFIX), queryAll(partition, IMPORTED_SK_PREFIX)]);
    const shares = await listShares(caller);
    if (!ref && relations.length === 0 && imported.length === 0 && shares.length === 0) {
      const anyItem = await queryPage(partition, ITEM_SK_PREFIX, 1);
      if (anyItem.rows.length === 0) throw profileErrors.profileNotFound();
    }
    head = {
      consent: summary?.view ?? null,
      relations: relations.map((row) => Relation.parse(row)).map((r) => ({ partnerId: r.partnerId, clientId: r.clientId, apps: relationApps(r), since: r.since, endedAt: r.endedAt })),
      sharesGiven: shares.map(shareSummary),
      sharesImported: imported.map((row) => Imported.parse(row)).map((i) => ({ sharingIdentifier: i.sharingIdentifier, copyName: i.copyName, clientId: i.clientId, importedAt: i.importedAt })),
    };
  }
  let budget = EXPORT_PAGE_BYTES - jsonBytes(head);
  let next: Omit<ExportPosition, 't' | 'n'> | undefined;

  const items: unknown[] = [];
  if (!position || position.s === 'items') {
    const contexts = new Map<string, Awaited<ReturnType<typeof loadContext>> | Error>();
    let after = position?.k;
    let more = true; // stored items may follow `after`
    while (more && items.length < limit) {
      const page = await queryPage(partition, ITEM_SK_PREFIX, limit - items.length, after && Buffer.from(after, 'utf8').toString('base64url'));
      let full = false;
      for (const row of page.rows) {
        const entry = await exportedItem(caller, Item.parse(row), contexts);
        const size = jsonBytes(entry) + 1;
        // Always at least one item per page (an item is at most 64 KiB of JSON): every page advances.
        if (items.length > 0 && size > budget) {
          full = true;
          break;
        }
        items.push(entry);
        budget -= size;
        after = String(row.SK);
      }
      if (full) {
        next = { s: 'items', k: after };
        break;
      }
      more = page.next !== undefined;
    }
    if (!next && more && items.length >= limit) next = { s: 'items', k: after };
  }

  let history: unknown[] = [];
  let historyVerification: unknown;
  if (!next && summary) {
    const page = await historyPage(caller.tenant, summary.head, { cursor: position?.s === 'history' ? position.h : undefined, maxBytes: Math.max(budget, 1) });
    history = page.entries;
    historyVerification = page.verification;
    if (page.next) next = { s: 'history', h: page.next };
  }

  return {
    guest: caller.guest,
    tenant: caller.tenant,
    exportedAt,
    page: pageNumber,
    ...head,
    items,
    history,
    ...(historyVerification ? { historyVerification } : {}),
    ...(next ? { next: writeCursor(EXPORT_CURSOR, binding, { ...next, t: exportedAt, n: pageNumber + 1 }) } : {}),
  };
}

async function exportedItem(caller: GuestCaller, item: DataItem, contexts: Map<string, Awaited<ReturnType<typeof loadContext>> | Error>) {
  const type = item.governance.entityType;
  if (!contexts.has(type)) contexts.set(type, await loadContext(caller, type).catch((error: Error) => error));
  const context = contexts.get(type)!;
  const base = {
    entityType: type, name: item.name, id: item.id, governance: item.governance, createdAt: item.createdAt,
    updatedAt: item.updatedAt, size: item.size, importedFrom: item.importedFrom,
  };
  try {
    if (context instanceof Error) throw context;
    return { ...base, data: await openItem(context, item) };
  } catch (error) {
    return { ...base, unreadable: (error as { code?: string }).code ?? 'Unreadable' };
  }
}

export type AccessReason = 'relation' | 'creator' | 'share';

/** `GET /me/access`: which partner can read which entity types, and why. */
export async function accessOverview(caller: GuestCaller) {
  requirePlatformPages(caller);
  const profile = await loadProfile(caller);
  const partners = new Map<string, { relation?: RelationItem; grants: Map<string, Set<AccessReason>>; apps: Set<string> }>();
  const entry = (partnerId: string) => {
    if (!partners.has(partnerId)) partners.set(partnerId, { grants: new Map(), apps: new Set() });
    return partners.get(partnerId)!;
  };
  const grant = (partnerId: string, type: string, reason: AccessReason) => {
    const grants = entry(partnerId).grants;
    grants.set(type, (grants.get(type) ?? new Set()).add(reason));
  };
  const shared = await sharedTypes(caller.tenant);
  for (const relation of profile.relations) {
    entry(relation.partnerId).relation = relation;
    // Every app of the partner the guest signed in through, whether or not it stored anything.
    for (const app of relationApps(relation)) entry(relation.partnerId).apps.add(app);
    if (relationState(relation) === 'active') for (const type of shared) grant(relation.partnerId, type, 'relation');
  }
  for (const item of profile.items) {
    const { partnerId, clientId, entityType } = item.governance;
    if (roleOf(entityType, shared) !== 'creator-app' || !partnerId) continue;
    grant(partnerId, entityType, 'creator');
    if (clientId) entry(partnerId).apps.add(clientId);
  }
  for (const { share } of await listShares(caller)) grant(share.partnerId, 'PartnerData', 'share');
  return {
    partners: [...partners].map(([partnerId, p]) => ({
      partnerId,
      relation: p.relation ? { since: p.relation.since, endedAt: p.relation.endedAt, active: relationState(p.relation) === 'active' } : null,
      apps: [...p.apps].sort(),
      entityTypes: [...p.grants].map(([entityType, reasons]) => ({ entityType, reasons: [...reasons].sort() })),
    })),
  };
}
