import type { GuestCaller } from './caller.js';
import { consentRecord, userReference } from './consent-port.js';
import { loadContext } from './context.js';
import { profileErrors } from './errors.js';
import { openItem } from './items.js';
import { guestPartition, IMPORTED_SK_PREFIX, ITEM_SK_PREFIX, RELATION_SK_PREFIX, SHARE_POINTER_SK_PREFIX } from './keys.js';
import type { DataItem, ImportedItem, RelationItem, SharePointerItem } from './model.js';
import { relationState, roleOf } from './policy.js';
import { sharedTypes } from './settings.js';
import { listShares } from './shares.js';
import { queryAll, type Row } from './store.js';

/**
 * The mydata principle: the guest sees everything stored about them (export) and who can read what
 * (access). Both are the guest's own view on the platform's pages: a partner app would otherwise see
 * other partners' data, so a token issued to a partner app gets 403.
 */
export function requirePlatformPages(caller: GuestCaller): void {
  if (caller.partnerId) throw profileErrors.platformPagesOnly();
}

/** The guest's whole partition, split by kind: one Query. */
export async function loadProfile(caller: GuestCaller) {
  const rows = await queryAll(guestPartition(caller.tenant, caller.guest));
  const of = <T>(prefix: string) => rows.filter((r: Row) => String(r.SK).startsWith(prefix)) as unknown as T[];
  return {
    rows,
    items: of<DataItem>(ITEM_SK_PREFIX),
    relations: of<RelationItem>(RELATION_SK_PREFIX),
    pointers: of<SharePointerItem>(SHARE_POINTER_SK_PREFIX),
    imported: of<ImportedItem>(IMPORTED_SK_PREFIX),
  };
}

/** `GET /me/export`: profile, items (decrypted where consent allows), consents and history, relations, shares. */
export async function exportProfile(caller: GuestCaller) {
  requirePlatformPages(caller);
  const ref = await userReference(caller.tenant, caller.guest);
  const profile = await loadProfile(caller);
  if (!ref && profile.rows.length === 0) throw profileErrors.profileNotFound();
  const contexts = new Map<string, Awaited<ReturnType<typeof loadContext>> | Error>();
  const items = [];
  for (const item of profile.items) {
    const type = item.governance.entityType;
    if (!contexts.has(type)) contexts.set(type, await loadContext(caller, type).catch((error: Error) => error));
    const context = contexts.get(type)!;
    const base = {
      entityType: type, name: item.name, id: item.id, governance: item.governance, createdAt: item.createdAt,
      updatedAt: item.updatedAt, size: item.size, importedFrom: item.importedFrom,
    };
    try {
      if (context instanceof Error) throw context;
      items.push({ ...base, data: await openItem(context, item) });
    } catch (error) {
      items.push({ ...base, unreadable: (error as { code?: string }).code ?? 'Unreadable' });
    }
  }
  return {
    guest: caller.guest,
    tenant: caller.tenant,
    exportedAt: new Date().toISOString(),
    consent: ref ? ((await consentRecord(caller.tenant, ref)) ?? null) : null,
    items,
    relations: profile.relations.map((r) => ({ partnerId: r.partnerId, clientId: r.clientId, since: r.since, endedAt: r.endedAt })),
    sharesGiven: (await listShares(caller)).map(({ share, imports }) => ({
      sharingIdentifier: share.sharingIdentifier, name: share.name, partnerId: share.partnerId, clientId: share.clientId,
      createdAt: share.createdAt, expiresAt: share.shareExpiresAt, maxImports: share.maxImports,
      importedBy: imports.map((i) => ({ guest: i.importer, copyName: i.copyName, lastImportedAt: i.lastImportedAt })),
    })),
    sharesImported: profile.imported.map((i) => ({ sharingIdentifier: i.sharingIdentifier, copyName: i.copyName, clientId: i.clientId, importedAt: i.importedAt })),
  };
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
