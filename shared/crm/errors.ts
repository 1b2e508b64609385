import { DomainError } from '../platform/errors.js';

/** The named failures of the CRM pull and purges; 410 answers name what the partner must forget. */
export const crmErrors = {
  partnerRequired: () => new DomainError('Forbidden', 'The CRM pull needs a partner token with partner_id', 'PartnerTokenRequired'),
  guestNotFound: () => new DomainError('NotFound', 'No guest with a relation to this partner', 'GuestNotFound'),
  relationEnded: () => new DomainError('Gone', 'The guest ended the relation to this partner: delete what you hold of this guest', 'RelationEnded', { reason: 'relation.ended' }),
  profileErased: () => new DomainError('Gone', 'The guest erased their profile: delete what you hold of this guest', 'ProfileErased', { reason: 'profile.erased' }),
  consentRevoked: (entityType: string) =>
    new DomainError('Gone', `The guest does not (or no longer) consent to ${entityType}: delete what you hold of it`, 'ConsentRevoked', { reason: 'consent.revoked', entityType }),
  itemNotFound: (entityType: string) => new DomainError('NotFound', `No ${entityType} object of this id that the partner may see`, 'DataObjectNotFound', { entityType }),
  changedSinceTooOld: (days: number) =>
    new DomainError('Invalid', `changedSince lies more than ${days} days back (the change feed's retention): do a full sync (GET /crm/guests)`, 'ChangedSinceTooOld'),
  changedSinceInFuture: () => new DomainError('Invalid', 'changedSince lies in the future', 'ChangedSinceInFuture'),
  purgeNotFound: () => new DomainError('NotFound', 'No purge of this partner with this id', 'PurgeNotFound'),
  signatureMissing: () => new DomainError('Unauthenticated', 'The acknowledgement needs a Mydata-Signature header (t=…,v1=…)', 'SignatureMissing'),
  signatureInvalid: () => new DomainError('Forbidden', "The Mydata-Signature does not match the body with any of the partner's subscription secrets", 'SignatureInvalid'),
  signatureStale: () => new DomainError('Invalid', "The Mydata-Signature's timestamp is more than 5 minutes from now", 'SignatureStale'),
  signatureReplayed: () => new DomainError('Conflict', 'This signature was used before; sign the acknowledgement again', 'SignatureReplayed'),
  concurrentAcknowledgement: () => new DomainError('Conflict', 'The purge changed concurrently; retry', 'ConcurrentChange', undefined, 1),
  /** Consent's 423 in the partner's words: the same code, but never the guest's consent reference id, which a partner does not otherwise see. */
  guestBlocked: () => new DomainError('Locked', "The guest's consent reference is blocked by the tenant: nothing of this guest can be read now", 'ConsentReferenceBlocked'),
  bodyNamesOtherPurge: () => new DomainError('Invalid', 'The signed body must name the purge of the path (purgeId)', 'PurgeIdMismatch'),
};
