import { domainEvent, outboxPut } from '../platform/outbox.js';

/**
 * The consent context's events (JSON Schemas in docs/events/consent/). Details carry the tenant,
 * the references and schemas involved and the history head; never a key, a grant blob's key material,
 * a reference token or a user's data.
 */
export const CONSENT_SOURCE = 'mydata.consent' as const;

export interface ConsentEventDetails {
  ConsentReferenceRequested: { consentReference: string; kind: 'user' | 'anonymous' };
  ConsentReferenceCreated: { consentReference: string; kind: 'user' | 'anonymous' | 'tenant'; grantedConsents: string[] };
  ConsentGranted: { consentReference: string; consentClass?: string; grantedConsents: string[]; historyHash: string };
  /** `id` and `revokedConsents` as in the seed's revocation event. */
  ConsentRevoked: { id: string; consentReference: string; consentClass?: string; revokedConsents: string[]; historyHash: string };
  /** `users`: the signed-in users whose references were deleted (profile erases their data of these references). */
  ConsentReferenceDeleted: { id: string; consentReference: string; aliases: string[]; users: string[] };
  ConsentReferenceBlocked: { consentReference: string; historyHash: string };
  ConsentReferenceUnblocked: { consentReference: string; historyHash: string };
  ConsentReferencesMerged: { leadingConsentReference: string; aliases: string[]; historyHash: string };
  ConsentSchemaChanged: { schema: string; consentClass: string; owner: 'user' | 'tenant'; active: boolean; revision: number };
}

export type ConsentEventType = keyof ConsentEventDetails;

export function consentEvent<T extends ConsentEventType>(
  type: T,
  tenant: string,
  detail: ConsentEventDetails[T],
  now?: Date,
) {
  return outboxPut(domainEvent(CONSENT_SOURCE, type, { tenant, ...detail }, now));
}
