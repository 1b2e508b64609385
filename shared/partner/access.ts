import { forbidden, notFound } from '../platform/errors.js';
import { partnerErrors } from './errors.js';
import { einstellungsrechtKey, ENTITY, handelsbeziehungKey, type Key, partnerKey, uebernahmeRechtKey } from './keys.js';
import type { PartnerRecord } from './model.js';
import { getItems, getPartners, type Items, partnerRecord } from './store.js';
import {
  type AncestorRow,
  canSeeKontaktdaten,
  correctedPath,
  type GrantKind,
  hasEinstellungsrecht,
  hasUebernahmeRecht,
  isGesperrt,
} from './visibility.js';

/** A partner as the caller sees it: its record, its verified ancestor path and its effective lock. */
export interface PartnerView {
  readonly record: PartnerRecord;
  readonly path: readonly string[];
  readonly gesperrt: boolean;
}

export interface AccessRequest {
  readonly tenant: string;
  readonly callerId: string;
  readonly targetIds: readonly string[];
  /** Also read the caller's Zugriffsrechte and trading relations (Kontaktdaten). */
  readonly kontakt?: boolean;
  /** Also read these holders' Zugriffsrechte on the targets (uebernahmeRechtFuer). */
  readonly uebernahmeHolders?: readonly string[];
}

const grantKey = (tenant: string, holder: string, kind: GrantKind, target: string): Key =>
  kind === 'EINSTELLUNG'
    ? einstellungsrechtKey(tenant, holder, target)
    : kind === 'UEBERNAHME'
      ? uebernahmeRechtKey(tenant, holder, target)
      : handelsbeziehungKey(tenant, holder, target);

/** Caller, targets and the grants that decide between them, read in a constant number of calls. */
export class Access {
  constructor(
    readonly tenant: string,
    readonly caller: PartnerView,
    private readonly views: ReadonlyMap<string, PartnerView>,
    private readonly grantSet: ReadonlySet<string>,
    private readonly ancestorRecords: ReadonlyMap<string, PartnerRecord>,
  ) {}

  /** The ancestors of a target from the root down, each with whether the caller may see it. */
  ancestorsOf(id: string): { view: PartnerView; visible: boolean }[] {
    const target = this.views.get(id);
    if (!target) return [];
    let gesperrt = false;
    return target.path.flatMap((ancestorId, i) => {
      const record = this.ancestorRecords.get(ancestorId);
      if (!record) return [];
      const path = target.path.slice(0, i);
      gesperrt = gesperrt || record.locked;
      const visible = hasEinstellungsrecht(this.caller.record.partnerId, ancestorId, path, this.grants);
      return [{ view: { record, path, gesperrt }, visible }];
    });
  }

  private readonly grants = (holder: string, kind: GrantKind, target: string) =>
    this.grantSet.has(`${holder}|${kind}|${target}`);

  /** The view of a target, or undefined when it does not exist in the caller's tenant. */
  find(id: string): PartnerView | undefined {
    return this.views.get(id);
  }

  canManage(id: string): boolean {
    const view = this.views.get(id);
    return !!view && hasEinstellungsrecht(this.caller.record.partnerId, id, view.path, this.grants);
  }

  /**
   * Does the caller administer the whole tree the target belongs to, i.e. hold the Einstellungsrecht
   * on the tenant's root (the onboarded administrator does; so does anyone it gave one on the root)?
   */
  managesRootOf(id: string): boolean {
    const view = this.views.get(id);
    if (!view) return false;
    const root = view.path[0] ?? id;
    return hasEinstellungsrecht(this.caller.record.partnerId, root, [], this.grants);
  }

  /** Does the caller hold the Einstellungsrecht on the (verified) parent of a target? False for a root. */
  canManageParentOf(id: string): boolean {
    const path = this.views.get(id)?.path;
    if (!path || path.length === 0) return false;
    const parentId = path[path.length - 1];
    return hasEinstellungsrecht(this.caller.record.partnerId, parentId, path.slice(0, -1), this.grants);
  }

  /** The target, if the caller may see (and so manage) it; otherwise 404 as if it did not exist. */
  visible(id: string): PartnerView {
    if (!this.canManage(id)) throw notFound(`Partner ${id} not found`, 'PartnerNotVisible');
    return this.views.get(id)!;
  }

  /** Kontaktdaten: 404 when the partner does not exist, 403 when it does but no relation allows it (spec). */
  kontakt(id: string): PartnerView {
    const view = this.views.get(id);
    if (!view) throw notFound(`Partner ${id} not found`, 'PartnerNotFound');
    if (!canSeeKontaktdaten(this.caller.record.partnerId, id, view.path, this.grants)) {
      throw forbidden(`No access right or trading relationship with partner ${id}`, 'KontaktdatenNotVisible');
    }
    return view;
  }

  uebernehmbar(holder: string, target: string): boolean {
    const view = this.views.get(target);
    return !!view && hasUebernahmeRecht(holder, target, view.path, this.grants);
  }
}

/**
 * Two calls whatever the depth: (1) caller and targets; (2) one BatchGetItem of every ancestor (their
 * lock flags and own paths) and every grant that could decide. Only while a moved subtree's paths
 * are still being rewritten does a corrected path cost another round.
 */
export async function loadAccess(request: AccessRequest): Promise<Access> {
  const { tenant, callerId } = request;
  const records = await getPartners(tenant, [callerId, ...request.targetIds]);
  const caller = records.get(callerId);
  if (!caller) throw forbidden('The calling partner does not exist in this tenant', 'CallerUnknown');
  const state = await readAncestorsAndGrants(request, records);
  return assembleAccess(request, records, caller, state);
}

/** What the second read established: verified paths, the ancestors' rows and the grants that exist. */
interface AccessState {
  readonly paths: Map<string, readonly string[]>;
  readonly ancestors: Map<string, AncestorRow>;
  readonly ancestorRecords: Map<string, PartnerRecord>;
  readonly grantSet: Set<string>;
}

interface WantedGrant {
  readonly id: string;
  readonly key: Key;
}

/**
 * Reads the ancestors on every known path and the grants that could decide, in rounds: a round's
 * ancestors may show that a path was rewritten by a move (`correctedPath`), and the next round reads
 * along the corrected one. At most four rounds.
 */
async function readAncestorsAndGrants(request: AccessRequest, records: ReadonlyMap<string, PartnerRecord>): Promise<AccessState> {
  const state: AccessState = {
    paths: new Map([...records].map(([id, r]) => [id, r.path])),
    ancestors: new Map(),
    ancestorRecords: new Map(),
    grantSet: new Set(),
  };
  const askedGrants = new Set<string>();
  for (let round = 0; round < 4; round++) {
    const ancestorKeys = missingAncestorKeys(request.tenant, state);
    const wanted = grantsToAsk(request, state.paths, askedGrants);
    if (ancestorKeys.length + wanted.length === 0) break;
    const items = await getItems([...ancestorKeys, ...wanted.map((w) => w.key)]);
    recordAncestors(items, state);
    for (const w of wanted) if (items.get(w.key)) state.grantSet.add(w.id);
    if (!correctPaths(state)) break;
  }
  return state;
}

/** Keys of the ancestors on the known paths not read yet. */
function missingAncestorKeys(tenant: string, state: AccessState): Key[] {
  const keys: Key[] = [];
  for (const path of state.paths.values()) for (const id of path) if (!state.ancestors.has(id)) keys.push(partnerKey(tenant, id));
  return keys;
}

/**
 * The grants that could decide between the caller (and the `uebernahmeHolders`) and each target, on
 * the target and every node of its path: those not asked for in an earlier round.
 */
function grantsToAsk(request: AccessRequest, paths: ReadonlyMap<string, readonly string[]>, asked: Set<string>): WantedGrant[] {
  const { tenant, callerId } = request;
  const wanted: WantedGrant[] = [];
  const want = (holder: string, kind: GrantKind, target: string) => {
    const id = `${holder}|${kind}|${target}`;
    if (asked.has(id)) return;
    asked.add(id);
    wanted.push({ id, key: grantKey(tenant, holder, kind, target) });
  };
  for (const targetId of request.targetIds) {
    const path = paths.get(targetId);
    if (!path) continue;
    for (const node of [...path, targetId]) {
      want(callerId, 'EINSTELLUNG', node);
      if (request.kontakt) want(callerId, 'UEBERNAHME', node);
      for (const holder of request.uebernahmeHolders ?? []) want(holder, 'UEBERNAHME', node);
    }
    if (request.kontakt) want(callerId, 'HANDEL', targetId);
  }
  return wanted;
}

/** The partner rows among what a round read: ancestors with their lock flags and own paths. */
function recordAncestors(items: Items, state: AccessState): void {
  for (const item of items.values()) {
    if (item.entityType !== ENTITY.partner) continue;
    const record = partnerRecord(item);
    state.ancestorRecords.set(record.partnerId, record);
    state.ancestors.set(record.partnerId, { partnerId: record.partnerId, parentId: record.parentId, path: record.path, locked: record.locked });
  }
}

/** Replaces paths the ancestors show to be stale (a move still being rewritten); true if any was. */
function correctPaths(state: AccessState): boolean {
  let stale = false;
  for (const [id, path] of state.paths) {
    const fixed = correctedPath(path, state.ancestors);
    if (fixed) {
      state.paths.set(id, fixed);
      stale = true;
    }
  }
  return stale;
}

/** The views of caller and targets on the verified paths; a locked caller is refused. */
function assembleAccess(request: AccessRequest, records: ReadonlyMap<string, PartnerRecord>, caller: PartnerRecord, state: AccessState): Access {
  const view = (record: PartnerRecord): PartnerView => {
    const path = state.paths.get(record.partnerId) ?? record.path;
    return { record, path, gesperrt: isGesperrt(record.locked, path, state.ancestors) };
  };
  const callerView = view(caller);
  if (callerView.gesperrt) throw partnerErrors.callerLocked();
  const views = new Map<string, PartnerView>();
  for (const id of request.targetIds) {
    const record = records.get(id);
    if (record) views.set(id, view(record));
  }
  return new Access(request.tenant, callerView, views, state.grantSet, state.ancestorRecords);
}
