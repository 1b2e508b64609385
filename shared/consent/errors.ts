import { DomainError } from '../platform/errors.js';
import { CONSENT_MANAGE } from '../platform/scopes.js';

const KEY_DESTROYED_MESSAGES = {
  revoked: (schema: string) => `Consent for ${schema} was revoked; the key of this data was destroyed with it`,
  destroyed: (schema: string) => `The key of this ${schema} data was destroyed by a revoke; consent was granted again since, with a new key`,
  merged: (schema: string) =>
    `The key of this ${schema} data was destroyed when its consent reference was merged: the merged profile does not grant ${schema}`,
  detached: (schema: string) => `This ${schema} data was sealed under a consent reference that is no longer part of this profile`,
} as const;

/** The named failures of the consent context; `shared/platform/http-errors.ts` maps kinds to statuses. */
export const consentErrors = {
  tenantNotFound: (tenant: string) =>
    new DomainError('NotFound', `Tenant ${tenant} not found`, 'TenantNotFound'),
  referenceNotFound: (ref: string) =>
    new DomainError('NotFound', `Consent reference ${ref} not found`, 'ConsentReferenceNotFound'),
  userNotFound: (user: string) =>
    new DomainError('NotFound', `No consent reference for user ${user}`, 'UserNotFound'),
  referencePending: (ref: string) =>
    new DomainError('Conflict', `Consent reference ${ref} is still being created; retry shortly`,
      'ConsentReferencePending', { consentReference: ref }, 1),
  referenceBlocked: (ref: string) =>
    new DomainError('Locked', `Consent reference ${ref} is blocked by the tenant`, 'ConsentReferenceBlocked'),
  schemaNotFound: (schema: string) =>
    new DomainError('NotFound', `Schema ${schema} is not in the tenant's metamodel`, 'SchemaNotFound'),
  classNotFound: (consentClass: string) =>
    new DomainError('NotFound', `Consent class ${consentClass} not found`, 'ConsentClassNotFound'),
  schemaOwnerMismatch: (schema: string, ref: string) =>
    new DomainError('NotFound', `Schema ${schema} has no consent under reference ${ref}`, 'ConsentNotFound'),
  consentNotGranted: (schema: string) =>
    new DomainError('Forbidden', `Consent for ${schema} is not granted`, 'ConsentNotGranted'),
  /**
   * `reason`: `revoked` (not granted now; the revoke destroyed the key), `destroyed` (revoked and granted
   * again since, with new key material), `merged` (sealed under an alias whose key a merge shredded: the
   * merged profile does not grant the schema) or `detached` (sealed under a reference that is no longer part
   * of this profile). The message names only what happened (decision 0204).
   */
  keyDestroyed: (schema: string, reason: 'revoked' | 'destroyed' | 'merged' | 'detached' = 'revoked') =>
    new DomainError('Gone', KEY_DESTROYED_MESSAGES[reason](schema), 'ConsentKeyDestroyed', { reason }),
  reservedReference: (ref: string) =>
    new DomainError('Forbidden', `The ${ref} consent reference cannot be removed or merged`, 'ReservedConsentReference'),
  concurrentChange: (ref: string) =>
    new DomainError('Conflict', `Consent reference ${ref} is changing concurrently; retry`,
      'ConcurrentConsentChange', undefined, 1),
  alreadyMerged: (ref: string, leader: string) =>
    new DomainError('Conflict', `Consent reference ${ref} is already an alias of ${leader}`,
      'ConsentReferenceAlreadyMerged', { consentReference: ref, leadingConsentReference: leader }),
  invalidMerge: (message: string) => new DomainError('Invalid', message, 'InvalidMerge'),
  classNotEditable: (consentClass: string) =>
    new DomainError('Forbidden', `Consents of class ${consentClass} are not editable by guests; only the tenant changes them`,
      'ConsentClassNotEditable', { consentClass }),
  classDisabled: (consentClass: string) =>
    new DomainError('Conflict', `Consent class ${consentClass} is disabled: its consents are not offered and cannot be granted`,
      'ConsentClassDisabled', { consentClass }),
  viewScopeCannotActForUser: () =>
    new DomainError('Forbidden', `The hybris-user header names a user; acting for a user needs scope ${CONSENT_MANAGE}`,
      'HybrisUserNeedsManageScope'),
  idempotencyMismatch: () =>
    new DomainError('Conflict', 'Idempotency-Key was used for a different request', 'IdempotencyKeyReused'),
};
