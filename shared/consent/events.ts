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
  /**
   * `id` and `revokedConsents` as in the seed's revocation event (plus the seed's envelope members, see
   * `SeedMembers`). `mergedInto`: the keys were shredded by a merge into that leader, which does not grant
   * these schemas (decision 0204), not by a revoke.
   */
  ConsentRevoked: { id: string; consentReference: string; consentClass?: string; revokedConsents: string[]; historyHash: string; mergedInto?: string };
  /**
   * `users`: the signed-in users whose references were deleted (profile erases their data of these
   * references). `revokedConsents`: the schemas granted at the deletion (their keys went with it).
   */
  ConsentReferenceDeleted: { id: string; consentReference: string; aliases: string[]; users: string[]; revokedConsents: string[] };
  ConsentReferenceBlocked: { consentReference: string; historyHash: string };
  ConsentReferenceUnblocked: { consentReference: string; historyHash: string };
  ConsentReferencesMerged: { leadingConsentReference: string; aliases: string[]; historyHash: string };
  ConsentSchemaChanged: { schema: string; consentClass: string; owner: 'user' | 'tenant'; active: boolean; revision: number };
}

export type ConsentEventType = keyof ConsentEventDetails;

/**
 * What the seed's REVOKED and DELETE events carry, so enrichers written against the seed work on ours:
 * `context.consentRefId` (the reference), `context.id` (the event's id), `schema: "core/ConsentReference"`
 * and `operation`. The seed's `context.location` pointed at a second event holding `{id, revokedConsents}`;
 * ours carries those members inline, so there is no location to fetch.
 */
export interface SeedMembers {
  readonly context: { readonly consentRefId: string; readonly id: string };
  readonly schema: 'core/ConsentReference';
  readonly operation: 'REVOKED' | 'DELETE';
}
const SEED_OPERATION: Partial<Record<ConsentEventType, SeedMembers['operation']>> = { ConsentRevoked: 'REVOKED', ConsentReferenceDeleted: 'DELETE' };

export function consentEvent<T extends ConsentEventType>(
  type: T,
  tenant: string,
  detail: ConsentEventDetails[T],
  now?: Date,
) {
  const event = domainEvent(CONSENT_SOURCE, type, { tenant, ...detail }, now);
  const operation = SEED_OPERATION[type];
  if (operation) {
    const seed: SeedMembers = {
      context: { consentRefId: (detail as { id: string }).id, id: String(event.detail.eventId) },
      schema: 'core/ConsentReference',
      operation,
    };
    Object.assign(event.detail, seed);
  }
  return outboxPut(event);
}
