import { createHash, timingSafeEqual } from 'node:crypto';
import { forbidden, invalid } from '../platform/errors.js';
import { type Principal, requireSameTenant, requireScope } from '../platform/principal.js';
import { CONSENT_MANAGE as MANAGE, CONSENT_VIEW as VIEW } from '../platform/scopes.js';
import { consentErrors } from './errors.js';
import { isValidUserId, MAX_USER_ID_LENGTH } from './keys.js';
import type { ReferenceItem } from './model.js';

/** Who is calling, with the two things beyond the token a consent call may carry. */
export interface Caller {
  readonly principal: Principal;
  /** `Consent-Reference-Token` header: the secret returned when the reference was created. */
  readonly referenceToken?: string;
  /** `hybris-user` header; only honoured for a tenant principal with manage scope. */
  readonly hybrisUser?: string;
}

export const hashReferenceToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The reference token stands in for an identity where there is none: it proves an anonymous guest's claim
 * to a reference, and a signed-in guest's claim to an anonymous reference (no user). A user's reference
 * belongs to that user: another signed-in account holding its token (leaked in a log, a shared device)
 * never becomes its owner.
 */
function holdsToken(caller: Caller, ref: ReferenceItem | undefined): boolean {
  const kind = caller.principal.kind;
  if (kind !== 'anonymous' && !(kind === 'guest' && ref?.user === undefined)) return false;
  if (!caller.referenceToken || !ref?.tokenHash) return false;
  const given = Buffer.from(hashReferenceToken(caller.referenceToken), 'hex');
  const stored = Buffer.from(ref.tokenHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The user a `hybris-user` header names, if any (`null`, `ANONYMOUS` and blank mean "no user"). */
export function namedHybrisUser(caller: Caller): string | undefined {
  const named = caller.hybrisUser?.trim();
  return named && named !== 'null' && named !== 'ANONYMOUS' ? named : undefined;
}

/** The user a call acts for: a guest's `sub`, or the `hybris-user` a trusted backend names. */
export function actingUser(caller: Caller): string | undefined {
  const { principal } = caller;
  if (principal.kind === 'guest') return principal.sub;
  const named = namedHybrisUser(caller);
  return principal.kind === 'tenant' && principal.scopes.has(MANAGE) ? named : undefined;
}

/**
 * 400 `InvalidUserId` unless `user` has 1 to `MAX_USER_ID_LENGTH` characters (it becomes part of a key).
 * `source` names where it came from, e.g. `The token's sub` or `The hybris-user header`. For every caller
 * that turns a user id into a consent key or looks one up (profile's `/me` with a guest's `sub`).
 */
export function requireValidUserId(user: string, source = 'The user id'): void {
  if (!isValidUserId(user)) throw invalid(`${source} must have 1 to ${MAX_USER_ID_LENGTH} characters`, 'InvalidUserId');
}

/**
 * Only guests, anonymous guests and tenant administrators of this very tenant use the consent API; the
 * user the call acts for (a guest's `sub`, an honoured `hybris-user`) must be a valid user id (else 400).
 */
export function requireConsentCaller(caller: Caller, tenant: string): void {
  requireSameTenant(caller.principal, tenant);
  if (!['guest', 'anonymous', 'tenant'].includes(caller.principal.kind)) {
    throw forbidden('The consent API is for guests and tenant administrators', 'PrincipalNotAllowed');
  }
  requireScope(caller.principal, VIEW, MANAGE);
  const user = actingUser(caller);
  if (user !== undefined) requireValidUserId(user, caller.principal.kind === 'guest' ? "The token's sub" : 'The hybris-user header');
}

/** Metamodel, blocking, merging and the TENANT reference: a tenant administrator with manage scope. */
export function requireTenantAdmin(caller: Caller, tenant: string): void {
  requireSameTenant(caller.principal, tenant);
  if (caller.principal.kind !== 'tenant') throw forbidden('This operation needs a tenant administrator', 'PrincipalNotAllowed');
  requireScope(caller.principal, MANAGE);
}

/** The reference as addressed (maybe an alias) and the leader every operation acts on. */
export interface Addressed {
  readonly addressed: ReferenceItem;
  readonly leader: ReferenceItem;
}

function owns(caller: Caller, { addressed, leader }: Addressed): boolean {
  const user = actingUser(caller);
  return (user !== undefined && (addressed.user === user || leader.user === user)) || holdsToken(caller, addressed) || holdsToken(caller, leader);
}

/**
 * Seeing a reference: a consent caller of the reference's own tenant (`requireConsentCaller`) that is
 * its tenant's administrator, its owner, or the holder of its token; anyone else gets 404.
 */
export function requireView(caller: Caller, target: Addressed): void {
  requireConsentCaller(caller, target.addressed.tenant);
  if (caller.principal.kind === 'tenant') return;
  if (!owns(caller, target)) throw consentErrors.referenceNotFound(target.addressed.ref);
}

/**
 * Changing consents: the owner with manage scope, a tenant administrator with manage scope (for the
 * TENANT reference, or acting for the reference's user via `hybris-user`), or an anonymous guest holding
 * the reference's token. The token is the extra layer that stands in for the manage scope an anonymous
 * token never carries; it does not raise a signed-in caller without manage scope to manage rights.
 */
export function requireManage(caller: Caller, target: Addressed): void {
  requireView(caller, target);
  const { principal } = caller;
  const manages = principal.scopes.has(MANAGE);
  if (target.leader.kind === 'tenant') {
    if (principal.kind === 'tenant' && manages) return;
    throw forbidden('Only the tenant manages its TENANT consents', 'TenantConsentsOnly');
  }
  if (principal.kind === 'anonymous') {
    if (holdsToken(caller, target.addressed) || holdsToken(caller, target.leader)) return;
  } else if (manages && owns(caller, target)) {
    return;
  }
  throw forbidden(`Managing consents needs scope ${MANAGE} and the reference's owner`, 'MissingScope');
}

/**
 * Deleting: as managing, and a tenant administrator may delete any user reference of its tenant. Through
 * an alias only the alias is deleted (`deletion.ts`), and only by its own owner or token holder: the
 * leader's owner cannot delete another user's merged-in reference, and an alias's owner never reaches
 * the leader's data (addressed directly, the leader is not theirs to see: 404).
 */
export function requireDelete(caller: Caller, target: Addressed): void {
  requireConsentCaller(caller, target.addressed.tenant);
  if (caller.principal.kind === 'tenant' && caller.principal.scopes.has(MANAGE)) return;
  requireManage(caller, target);
  if (target.addressed.ref === target.leader.ref) return;
  const user = actingUser(caller);
  if ((user !== undefined && target.addressed.user === user) || holdsToken(caller, target.addressed)) return;
  throw forbidden(`Consent reference ${target.addressed.ref} belongs to another user`, 'NotReferenceOwner');
}

/** What a consent operation needs: to call at all, to administer the tenant, or a right on one reference. */
export type ConsentNeed =
  | { readonly to: 'call' }
  | { readonly to: 'administer' }
  | { readonly to: 'view' | 'manage' | 'delete'; readonly target: Addressed };

/**
 * The consent context's one policy entry point (decision 0011): every consent operation asks it before
 * it reads data (`call`, `administer`) and again, with the loaded reference, before it shows or changes
 * anything (`view`, `manage`, `delete`). Each decision includes the caller's kind, tenant and scopes, so
 * a resource check can never be taken without them. The route policy (`shared/platform/route-policy.ts`)
 * has already refused undeclared caller kinds; this repeats it for callers that are not HTTP requests.
 */
export function authorize(caller: Caller, tenant: string, need: ConsentNeed): void {
  switch (need.to) {
    case 'call':
      return requireConsentCaller(caller, tenant);
    case 'administer':
      return requireTenantAdmin(caller, tenant);
    case 'view':
    case 'manage':
    case 'delete':
      requireConsentCaller(caller, tenant);
      if (need.target.addressed.tenant !== tenant || need.target.leader.tenant !== tenant) {
        throw consentErrors.referenceNotFound(need.target.addressed.ref);
      }
      if (need.to === 'view') return requireView(caller, need.target);
      if (need.to === 'manage') return requireManage(caller, need.target);
      return requireDelete(caller, need.target);
  }
}
