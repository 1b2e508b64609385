import { type ConsentRows, checkLeader, consentRowKeys, pickConsentRows, userReference } from './consent-port.js';
import type { GuestCaller } from './caller.js';
import { profileErrors } from './errors.js';
import { type ItemKey, relationKey, settingsKey } from './keys.js';
import { partnerRowKeys, requireRegisteredPartner } from './partner-port.js';
import { sharedTypesOf } from './settings.js';
import type { RelationItem } from './model.js';
import { recordsApp } from './relations.js';
import { recordsRelation, type RelationState, relationState } from './policy.js';
import { readRows } from './store.js';

/**
 * What a profile operation needs to decide, read in ONE BatchGetItem over both tables: the operation's
 * own items, the guest's consent reference, consent and metamodel entry for the entity type, the
 * wrapped keys, the tenant's profile settings, and (through a partner app) the relation, the partner and
 * its ancestors (a partner below a locked parent is not registered; `partner-port.ts`).
 *
 * The guest's reference is remembered per warm container ((tenant, guest) → claim and leader) and
 * re-checked against the reference row of every read, so a merge or a deletion is noticed at once.
 */
export interface OperationContext {
  readonly caller: GuestCaller;
  /** The leading consent reference: its keys protect new data. */
  readonly ref: string;
  readonly entityType: string;
  readonly consent: ConsentRows;
  readonly relation?: RelationItem;
  readonly relationState: RelationState;
  /** Entity types shared with every related partner: the tenant's settings, read in the same BatchGet. */
  readonly sharedTypes: readonly string[];
  /** True when this call must record the relation guest ↔ partner (first or renewed sign-in). */
  readonly recordRelation: boolean;
  /** True when this is the first call through this app of a partner with an active relation: the app is added to it. */
  readonly recordApp: boolean;
  row<T>(key: ItemKey): T | undefined;
}

interface Resolved {
  readonly claim: string;
  readonly leader: string;
}
const resolvedRefs = new Map<string, Resolved>();
const MAX_REMEMBERED = 10_000;

async function resolve(tenant: string, guest: string, fresh: boolean): Promise<Resolved> {
  const cacheKey = `${tenant}\u0000${guest}`;
  const known = resolvedRefs.get(cacheKey);
  if (known && !fresh) return known;
  const claim = await userReference(tenant, guest);
  if (!claim) throw profileErrors.noConsentReference();
  const resolved = { claim, leader: claim };
  remember(cacheKey, resolved);
  return resolved;
}

function remember(cacheKey: string, resolved: Resolved): void {
  resolvedRefs.delete(cacheKey);
  resolvedRefs.set(cacheKey, resolved);
  if (resolvedRefs.size > MAX_REMEMBERED) resolvedRefs.delete(resolvedRefs.keys().next().value as string);
}

/** Drops the remembered reference of a guest (after erasure). */
export const forgetReference = (tenant: string, guest: string) => resolvedRefs.delete(`${tenant}\u0000${guest}`);

export async function loadContext(caller: GuestCaller, entityType: string, extra: readonly ItemKey[] = []): Promise<OperationContext> {
  const { tenant, guest, partnerId } = caller;
  let resolved = await resolve(tenant, guest, false);
  for (let attempt = 0; attempt < 4; attempt++) {
    const keys = consentRowKeys(tenant, resolved.leader, entityType);
    const partyKeys = partnerId ? [relationKey(tenant, guest, partnerId), ...partnerRowKeys(tenant, partnerId)] : [];
    const rows = await readRows([...keys.main, settingsKey(tenant), ...partyKeys, ...extra], keys.keys);
    const consent: ConsentRows = pickConsentRows(keys, rows);
    const check = checkLeader(consent, resolved.claim, resolved.leader);
    if (!check.ok) {
      resolved = check.follow ? { claim: resolved.claim, leader: check.follow } : await resolve(tenant, guest, true);
      remember(`${tenant}\u0000${guest}`, resolved);
      continue;
    }
    if (partnerId) await requireRegisteredPartner(tenant, partnerId, rows);
    const relation = partnerId ? (rows.main(partyKeys[0]!) as RelationItem | undefined) : undefined;
    const recordRelation = partnerId !== undefined && recordsRelation(relation, caller.issuedAt);
    const state = recordRelation ? 'active' : relationState(relation, caller.issuedAt);
    return {
      caller,
      ref: resolved.leader,
      entityType,
      consent,
      sharedTypes: sharedTypesOf(rows.main(settingsKey(tenant))),
      relation,
      // This very call records the relation (first sign-in), so it already counts as related.
      relationState: state,
      recordRelation,
      // An ended relation (a token issued before the end) records nothing; a renewed one is written whole.
      recordApp: !recordRelation && state === 'active' && !relation?.endedAt && recordsApp(relation, caller.clientId),
      row: <T>(key: ItemKey) => rows.main(key) as T | undefined,
    };
  }
  throw profileErrors.concurrentChange();
}
