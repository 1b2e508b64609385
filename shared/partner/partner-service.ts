import { forbidden, invalid } from '../platform/errors.js';
import { partnerErrors } from './errors.js';
import { ANY_VERSION, type ExpectedVersion, pinsVersion, versionMeets } from '../platform/versions.js';
import { type Access, loadAccess, type PartnerView } from './access.js';
import { type AttributeInput, changedFields, createAttributes, patchAttributes, sameAttributes } from './attributes.js';
import type { CallerRef } from './caller.js';
import { partnerEvent, type PartnerEventDetail } from './events.js';
import { allocatePartnerId, partnerIdBinding } from './ids.js';
import type { PartnerRecord, Typ } from './model.js';
import { applyRechte, noRechte, type RechteChange, rechteBeyondCaller, sameRechte } from './rechte.js';
import { versionOf } from './representation.js';
import { ConditionFailed, isConditionFailed, RACE, retry, type TransactItem, transact, untilWon } from '../platform/table/index.js';
import { getChildByExterneId, PARTNER_RACE, queryByExterneId, queryChildren } from './store.js';
import { isSelfOrAncestor, MAX_DEPTH } from './visibility.js';
import { externeIdClaimChanges, parentUnmoved, putNewPartner, putSelfEinstellungsrecht, updatePartnerState } from './write-items.js';

/** Use cases on partners themselves: read, search, create, PATCH, children, path. */
const access = (caller: CallerRef, targetIds: string[], kontakt = false) =>
  loadAccess({ tenant: caller.tenant, callerId: caller.partnerId, targetIds, kontakt });

export async function getPartner(caller: CallerRef, partnerId: string): Promise<PartnerView> {
  return (await access(caller, [partnerId])).visible(partnerId);
}

export async function getKontaktdaten(caller: CallerRef, partnerId: string): Promise<PartnerView> {
  return (await access(caller, [partnerId], true)).kontakt(partnerId);
}

/** Search by external id: only partners the caller may see are listed (others do not exist for it). */
export async function searchByExterneId(caller: CallerRef, externePartnerId: string): Promise<string[]> {
  const hits = await queryByExterneId(caller.tenant, externePartnerId);
  if (hits.length === 0) return [];
  const view = await access(caller, hits.map((h) => h.partnerId));
  return hits.map((h) => h.partnerId).filter((id) => view.canManage(id)).sort();
}

export async function listChildren(caller: CallerRef, partnerId: string): Promise<PartnerView[]> {
  // The children's Query does not depend on the access check: both in one round trip; a refused caller's
  // children are read but never shown.
  const [view, children] = await Promise.all([access(caller, [partnerId]), queryChildren(caller.tenant, partnerId)]);
  const parent = view.visible(partnerId);
  return children.map((record) => ({
    record,
    path: [...parent.path, partnerId],
    gesperrt: parent.gesperrt || record.locked,
  }));
}

/** Beyond the spec: the ancestors from the root down to the partner itself. */
export async function getPfad(caller: CallerRef, partnerId: string) {
  const view = await access(caller, [partnerId]);
  const self = view.visible(partnerId);
  return [...view.ancestorsOf(partnerId), { view: self, visible: true }];
}

export interface PartnerChange {
  readonly attributes?: AttributeInput;
  readonly gesperrt?: boolean;
  readonly rechte?: RechteChange;
}

/** The caller can only pass on rights it holds itself. */
export function assertRechteHeld(access: Access, change: RechteChange | undefined): void {
  if (!change) return;
  const missing = rechteBeyondCaller(change, access.caller.record.rechte);
  if (missing.length > 0) {
    throw forbidden(`Rights can only be granted by a caller who holds them: ${missing.join(', ')}`, 'RechtNotHeld');
  }
}

/** Events for what really changed between two states of a partner. */
function changeEvents(caller: CallerRef, before: PartnerRecord, after: PartnerRecord): TransactItem[] {
  const base = { tenant: caller.tenant, partnerId: after.partnerId, changedBy: caller.partnerId };
  const events: TransactItem[] = [];
  const fields = changedFields(before.attributes, after.attributes);
  if (fields.length > 0) events.push(partnerEvent('PartnerUpdated', { ...base, changedFields: fields as PartnerEventDetail<'PartnerUpdated'>['changedFields'] }));
  if (before.locked !== after.locked) {
    events.push(partnerEvent(after.locked ? 'PartnerLocked' : 'PartnerUnlocked', { ...base, gesperrt: after.locked }));
  }
  if (!sameRechte(before.rechte, after.rechte)) events.push(partnerEvent('RechteChanged', { ...base, rechte: after.rechte }));
  return events;
}

/** Did one of the transaction items `from`…`from + count - 1` fail its condition? */
export const conditionFailedIn = (error: ConditionFailed, from: number, count: number) => error.failedIn(from, count);

/**
 * Applies a change to a partner the caller manages: one conditional write on the version it read,
 * with its events, and the external id's uniqueness claim moved along when it changes (or written
 * when `ensureClaim`, for a partner stored before claims existed). Unchanged data writes nothing (no
 * version bump, no event).
 */
async function writeChange(
  access: Access,
  caller: CallerRef,
  target: PartnerView,
  next: PartnerRecord,
  ancestorsLocked: boolean,
  ensureClaim = false,
): Promise<PartnerView> {
  const before = target.record;
  const claims = externeIdClaimChanges(
    caller.tenant,
    before.partnerId,
    { parentId: before.parentId, externePartnerId: before.attributes.externePartnerId },
    { parentId: before.parentId, externePartnerId: next.attributes.externePartnerId },
    ensureClaim,
  );
  if (sameAttributes(before.attributes, next.attributes) && before.locked === next.locked && sameRechte(before.rechte, next.rechte)) {
    if (claims.length > 0) await transact(claims); // only the missing claim of an older partner
    return target;
  }
  // An ancestor's lock is the caller's own (gesperrt covers the subtree): locking one would lock the
  // caller out, and nobody below the root could ever unlock the root again.
  if (before.locked !== next.locked && isSelfOrAncestor(caller.partnerId, access.caller.path, before.partnerId)) {
    throw forbidden('A partner cannot lock or unlock itself or one of its ancestors', 'CannotLockSelf');
  }
  const written: PartnerRecord = { ...next, version: before.version + 1, updatedAt: new Date().toISOString() };
  try {
    await transact([updatePartnerState(written, before.version), ...claims, ...changeEvents(caller, before, written)]);
  } catch (error) {
    if (error instanceof ConditionFailed && conditionFailedIn(error, 1, claims.length) && !error.failedAt(0)) {
      throw partnerErrors.externeIdTaken(next.attributes.externePartnerId);
    }
    throw error;
  }
  return { record: written, path: target.path, gesperrt: written.locked || ancestorsLocked };
}

/** PATCH: only the listed attributes, `""` deletes; a write expecting an older version is a 412. */
export async function patchPartner(caller: CallerRef, partnerId: string, change: PartnerChange, expected: ExpectedVersion = ANY_VERSION): Promise<PartnerView> {
  return untilWon<PartnerView>(async () => {
    const view = await access(caller, [partnerId]);
    const target = view.visible(partnerId);
    if (!versionMeets(expected, versionOf(target.record))) throw partnerErrors.versionMismatch();
    assertRechteHeld(view, change.rechte);
    const before = target.record;
    const next: PartnerRecord = {
      ...before,
      attributes: change.attributes ? patchAttributes(before.typ, before.attributes, change.attributes) : before.attributes,
      locked: change.gesperrt ?? before.locked,
      rechte: change.rechte ? applyRechte(before.rechte, change.rechte) : before.rechte,
    };
    try {
      const ancestorsLocked = view.ancestorsOf(partnerId).some((a) => a.view.record.locked);
      return await writeChange(view, caller, target, next, ancestorsLocked);
    } catch (error) {
      // Someone wrote in between: pinned to the version read, that is the caller's 412; else `untilWon` re-reads and re-applies.
      if (error instanceof ConditionFailed && pinsVersion(expected)) throw partnerErrors.versionMismatch();
      throw error;
    }
  }, partnerErrors.partnerBusy, PARTNER_RACE);
}

export interface CreateInput {
  readonly typ?: Typ;
  readonly partnerId?: string;
  readonly attributes: AttributeInput;
  readonly gesperrt?: boolean;
  readonly rechte?: RechteChange;
}

export type CreateResult = { readonly outcome: 'created' | 'updated'; readonly view: PartnerView };

/** Concurrent creates of one external id: each round at least one of them completes (the race policy). */
const CREATE_RETRY = { ...RACE, tries: 13 };

/**
 * Creates a partner below `parentId`, or (205) updates the one found by partnerId or by external id
 * among the parent's children. Needs: a PERSON caller with `partnerAnlegen`, the Einstellungsrecht
 * on the parent. Ids are reserved race-free before the transaction that binds them. An external id
 * is claimed in the creating transaction, so of concurrent creates with one new external id exactly
 * one creates (201); the others lose the claim, start again, find the winner and update it (205).
 */
export async function createPartner(caller: CallerRef, parentId: string, input: CreateInput): Promise<CreateResult> {
  return retry(() => createOrUpdate(caller, parentId, input), {
    policy: CREATE_RETRY,
    retryable: isConditionFailed,
    exhausted: partnerErrors.partnerBusy,
  });
}

async function createOrUpdate(caller: CallerRef, parentId: string, input: CreateInput): Promise<CreateResult> {
  const lookup = input.partnerId && input.partnerId !== parentId ? [parentId, input.partnerId] : [parentId];
  const view = await access(caller, lookup);
  const parent = view.visible(parentId);
  const me = view.caller.record;
  if (me.typ !== 'PERSON') throw forbidden('Only a person can create partners', 'CallerNotPerson');
  if (!me.rechte.partnermanagement.partnerAnlegen) throw forbidden('The caller may not create partners (partnerAnlegen)', 'PartnerAnlegenMissing');
  assertRechteHeld(view, input.rechte);

  const found = await findExisting(caller, view, parentId, input);
  if (found) {
    const existing = found.view;
    const before = existing.record;
    const created = createAttributes(before.typ, input.attributes);
    const next: PartnerRecord = {
      ...before,
      attributes: patchAttributes(before.typ, before.attributes, created),
      locked: input.gesperrt ?? before.locked,
      rechte: input.rechte && before.typ === 'PERSON' ? applyRechte(before.rechte, input.rechte) : before.rechte,
    };
    const ancestorsLocked = existing.record.parentId === parentId ? parent.gesperrt : view.ancestorsOf(before.partnerId).some((a) => a.view.record.locked);
    return { outcome: 'updated', view: await writeChange(view, caller, existing, next, ancestorsLocked, found.ensureClaim) };
  }

  if (parent.path.length + 1 > MAX_DEPTH) throw invalid(`The hierarchy is limited to ${MAX_DEPTH} levels`, 'HierarchyTooDeep');
  const typ = input.typ ?? 'PERSON';
  const now = new Date().toISOString();
  const partnerId = await allocatePartnerId();
  const record: PartnerRecord = {
    tenant: caller.tenant,
    partnerId,
    typ,
    parentId,
    path: [...parent.path, parentId],
    locked: input.gesperrt ?? false,
    // Rights are a person's; organisations carry none.
    rechte: typ === 'PERSON' && input.rechte ? applyRechte(noRechte(), input.rechte) : noRechte(),
    attributes: createAttributes(typ, input.attributes),
    kennzeichen: {},
    lizenzen: {},
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const external = record.attributes.externePartnerId;
  await transact([
    partnerIdBinding(caller.tenant, partnerId, now),
    putNewPartner(record),
    putSelfEinstellungsrecht(caller.tenant, partnerId, now),
    parentUnmoved(caller.tenant, parent.record),
    ...externeIdClaimChanges(caller.tenant, partnerId, { parentId, externePartnerId: undefined }, { parentId, externePartnerId: external }),
    partnerEvent('PartnerCreated', { tenant: caller.tenant, partnerId, parentId, typ, createdBy: caller.partnerId, gesperrt: record.locked }),
  ]).catch((error: unknown) => {
    if (error instanceof ConditionFailed && error.failedAt(3)) {
      throw partnerErrors.parentChanged();
    }
    // Lost the external id to a concurrent create (or a transaction conflict): `createPartner` starts again.
    throw error;
  });
  return { outcome: 'created', view: { record, path: record.path, gesperrt: parent.gesperrt || record.locked } };
}

/**
 * A create that names an existing partner (by id, or by external id below the same parent) updates
 * it. The external id is looked up by its claim (strongly consistent); a partner stored before claims
 * existed is found through the index and gets its claim with the update (`ensureClaim`).
 */
async function findExisting(
  caller: CallerRef,
  view: Access,
  parentId: string,
  input: CreateInput,
): Promise<{ view: PartnerView; ensureClaim: boolean } | undefined> {
  if (input.partnerId && input.partnerId !== parentId && view.canManage(input.partnerId)) {
    const named = view.find(input.partnerId);
    return named ? { view: named, ensureClaim: false } : undefined;
  }
  const external = input.attributes.externePartnerId;
  if (!external) return undefined;
  const parent = view.visible(parentId);
  const below = (record: PartnerRecord): PartnerView => ({ record, path: [...parent.path, parentId], gesperrt: parent.gesperrt || record.locked });
  const claimed = await getChildByExterneId(caller.tenant, parentId, external);
  if (claimed && claimed.parentId === parentId && claimed.attributes.externePartnerId === external) return { view: below(claimed), ensureClaim: false };
  const legacy = (await queryByExterneId(caller.tenant, external)).find((p) => p.parentId === parentId);
  return legacy ? { view: below(legacy), ensureClaim: true } : undefined;
}
