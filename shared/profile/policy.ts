import type { GuestCaller } from './caller.js';
import type { Governance, ReadRole, RelationItem } from './model.js';

/**
 * The access rules of profile data (docs/profile.md, "Access rules"). Pure functions: no I/O.
 *
 * - A guest only ever reaches their own profile (the partition is the token's `sub`).
 * - Shared entity types (default `Person`, `Party`) are readable by every partner with an active
 *   relation to the guest; every other type (`PartnerData`, `Order`, `Ticket`, …) only by the app
 *   that created it (its `client_id`, the subscription key) of the same partner.
 * - On the platform's own pages (a guest token without a partner) the guest sees everything they own.
 */
export const DEFAULT_SHARED_TYPES: readonly string[] = ['Person', 'Party'];

export const roleOf = (entityType: string, sharedTypes: readonly string[] = DEFAULT_SHARED_TYPES): ReadRole =>
  sharedTypes.includes(entityType) ? 'related-partner' : 'creator-app';

export type RelationState = 'active' | 'ended' | 'none';

/**
 * A relation ended by the guest stays ended for tokens issued before the end; a new sign-in (a token
 * issued after it) re-establishes it, as the first sign-in did.
 */
export function relationState(relation: RelationItem | undefined, issuedAt?: number): RelationState {
  if (!relation) return 'none';
  if (!relation.endedAt) return 'active';
  const endedAt = Math.floor(Date.parse(relation.endedAt) / 1000);
  return issuedAt !== undefined && issuedAt > endedAt ? 'active' : 'ended';
}

/** Whether this relation item must be (re)written on this call: first sign-in, or a new sign-in after an end. */
export const recordsRelation = (relation: RelationItem | undefined, issuedAt?: number): boolean =>
  relation === undefined || (relation.endedAt !== undefined && relationState(relation, issuedAt) === 'active');

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: 'not-owner' | 'not-creator' | 'relation-ended' | 'no-relation' };

export function mayAccess(governance: Governance, caller: GuestCaller, relation: RelationState): Decision {
  if (governance.profile !== caller.guest) return { allowed: false, reason: 'not-owner' };
  if (!caller.partnerId) return { allowed: true };
  if (governance.role === 'related-partner') {
    if (relation === 'active') return { allowed: true };
    return { allowed: false, reason: relation === 'ended' ? 'relation-ended' : 'no-relation' };
  }
  const creator = governance.partnerId === caller.partnerId && governance.clientId === caller.clientId;
  return creator ? { allowed: true } : { allowed: false, reason: 'not-creator' };
}

/** Lower-case ASCII initials of the sharing guest (`Gina Ahrens` → `ga`), `x` for each unknown part. */
export function initialsOf(givenName?: string, familyName?: string): string {
  const first = (name?: string) =>
    (name ?? '').normalize('NFD').replace(/[^A-Za-z0-9]/g, '').charAt(0).toLowerCase() || 'x';
  return `${first(givenName)}${first(familyName)}`;
}

/**
 * The name of an imported copy: `{name}-{initials}`; when that name is taken in the importer's app by
 * another object (a copy of another sharer with the same initials, or the importer's own object), the
 * first free one of `{name}-{initials}2`, `{name}-{initials}3`, … (all still found by the prefix `name`).
 */
export function copyNameFor(name: string, initials: string, taken: ReadonlySet<string>, maxTries = 99): string | undefined {
  const base = `${name}-${initials}`;
  if (!taken.has(base)) return base;
  for (let n = 2; n <= maxTries; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
  return undefined;
}
