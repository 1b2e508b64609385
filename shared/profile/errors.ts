import { DomainError } from '../platform/errors.js';
import { platformPagesOnly } from '../platform/route-policy.js';

/** The named failures of the profile context; `shared/platform/http-errors.ts` maps kinds to statuses. */
export const profileErrors = {
  guestRequired: () =>
    new DomainError('Forbidden', 'Profile data needs a signed-in guest token', 'GuestTokenRequired'),
  invalidClaim: (claim: 'sub' | 'partner_id' | 'client_id', rule: string) =>
    new DomainError('Invalid', `The token's ${claim} ${rule}`, claim === 'sub' ? 'InvalidUserId' : 'InvalidTokenClaim', { claim }),
  partnerAppRequired: () =>
    new DomainError('Forbidden', 'Partner data needs a guest token issued to a partner app (partner_id and client_id)', 'PartnerAppRequired'),
  partnerNotRegistered: (partnerId: string) =>
    new DomainError('Forbidden', `Partner ${partnerId} is not registered (or is locked) in this tenant`, 'PartnerNotRegistered'),
  relationEnded: (partnerId: string) =>
    new DomainError('Forbidden', `The guest ended the relation to partner ${partnerId}; sign in again to restore it`, 'RelationEnded'),
  noConsentReference: () =>
    new DomainError('NotFound', 'The guest has no consent reference in this tenant; create one first', 'ConsentReferenceNotFound'),
  unreadable: (entityType: string, reason: 'ConsentRevoked' | 'KeyDestroyed') =>
    new DomainError('Gone',
      reason === 'ConsentRevoked'
        ? `The guest revoked consent for ${entityType}; this data can never be decrypted again`
        : `The key of this ${entityType} data was destroyed by an earlier revoke; it can never be decrypted again`,
      reason, { entityType }),
  itemNotFound: (name: string, entityType = 'PartnerData') => entityType === 'PartnerData'
    ? new DomainError('NotFound', `Partner data ${name} not found`, 'PartnerDataNotFound')
    : new DomainError('NotFound', `${entityType} ${name} not found`, 'DataObjectNotFound', { entityType }),
  tooLarge: (limit: number) =>
    new DomainError('TooLarge', `Partner data must not exceed ${limit} bytes of JSON`, 'PartnerDataTooLarge'),
  notAnObject: () => new DomainError('Invalid', 'Partner data must be a JSON object or array', 'PartnerDataNotAnObject'),
  shareNotFound: () => new DomainError('NotFound', 'Share not found (unknown, withdrawn or not yours)', 'ShareNotFound'),
  importNotFound: () => new DomainError('NotFound', 'No copy of this share in your profile (never imported, already deleted, or not yours)', 'ImportNotFound'),
  shareExpired: () => new DomainError('Gone', 'This share has expired', 'ShareExpired'),
  sealedBeforeMerge: (name: string) =>
    new DomainError('Conflict', `${name} was written under a reference since merged into another; write it again to share it`, 'SealedBeforeMerge'),
  shareExhausted: () => new DomainError('Conflict', 'This share reached its maximum number of imports', 'ShareImportLimitReached'),
  invalidExpiry: () => new DomainError('Invalid', 'expiresAt must lie in the future', 'InvalidExpiry'),
  sharedObjectUnavailable: () =>
    new DomainError('Gone', 'The shared object can no longer be read (deleted, or its owner withdrew consent)', 'SharedObjectUnavailable'),
  /** The route policy's own answer (decision 0127), for the domain's defence in depth. */
  platformPagesOnly,
  ownShare: () => new DomainError('Invalid', 'A guest cannot import their own share', 'OwnShare'),
  concurrentChange: () =>
    new DomainError('Conflict', 'The data changed concurrently; retry', 'ConcurrentChange', undefined, 1),
  profileNotFound: () => new DomainError('NotFound', 'No profile stored for this guest', 'ProfileNotFound'),
  relationNotFound: (partnerId: string) =>
    new DomainError('NotFound', `No active relation to partner ${partnerId}`, 'RelationNotFound'),
  copyNamesExhausted: () =>
    new DomainError('Conflict', 'No free name for the imported copy; delete or rename copies first', 'CopyNameExhausted'),
};
