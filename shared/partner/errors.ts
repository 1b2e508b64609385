import { DomainError } from '../platform/errors.js';
import type { MoveRefusal } from './move-rules.js';

/** The named failures of the partner context; `shared/platform/http-errors.ts` maps kinds to statuses. */
export const partnerErrors = {
  callerLocked: () => new DomainError('Forbidden', 'The calling partner is locked', 'CallerLocked'),
  /** A partner (its master data, codes or licences) lost the race to concurrent writers too often. */
  partnerBusy: () => new DomainError('Conflict', 'The partner is being changed concurrently; retry', 'PartnerBusy'),
  administratorBusy: () =>
    new DomainError('Conflict', 'The administrator is being changed concurrently; retry', 'PartnerBusy'),
  versionMismatch: () =>
    new DomainError('PreconditionFailed', 'The partner was changed since it was read (If-Match)', 'PartnerVersionMismatch'),
  /** Another child of the same parent holds the external id (decision 0021). */
  externeIdTaken: (externePartnerId: string | undefined) =>
    new DomainError('Conflict', `Another partner below the same parent already has the externePartnerId ${JSON.stringify(externePartnerId)}`,
      'ExternePartnerIdTaken'),
  parentChanged: () => new DomainError('Conflict', 'The parent moved or changed meanwhile; retry', 'ParentChanged'),
  moveRefused: (refusal: MoveRefusal) => new DomainError(refusal.kind, refusal.message, refusal.code),
  moveConflict: () => new DomainError('Conflict', 'The partner or its new parent changed meanwhile; retry', 'MoveConflict'),
  tooManyLizenzen: (max: number) => new DomainError('Invalid', `A partner carries at most ${max} licences`, 'TooManyLizenzen'),
  zugangWrongPartnerType: () =>
    new DomainError('NotAcceptable', 'A Zugang can only be created for a person, not for an organisation', 'WrongPartnerType'),
  zugangAlreadyExists: () => new DomainError('NotAcceptable', 'A Zugang already exists for this partner', 'ZugangAlreadyExists'),
  benutzernameTaken: () => new DomainError('Conflict', 'This benutzername is already taken', 'BenutzernameTaken'),
  zugangBusy: () => new DomainError('Conflict', 'The Zugang is being changed concurrently; retry', 'ZugangBusy'),
  zugangNotUnconfirmed: (status: string) =>
    new DomainError('Conflict', `The Zugang is not waiting for activation (${status})`, 'ZugangNotUnconfirmed'),
} as const;

