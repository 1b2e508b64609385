import { domainEvent, outboxPut } from '../platform/outbox.js';

/**
 * The profile context's events (JSON Schemas in docs/events/profile/). Details carry the tenant and the
 * ids involved (guests, partner, app, object name, sharing identifier); never decrypted user data,
 * never key material, never a guest's name or initials. An imported copy's name contains the sharer's
 * initials (`{name}-{initials}`), so no event carries a copy's name: `PartnerDataImported` names the shared
 * object (`sharedName`) and the copy by its id, `PartnerDataChanged` of a copy has no `name` (decision 0305).
 */
export const PROFILE_SOURCE = 'mydata.profile' as const;

export type PartnerDataChange = 'created' | 'updated' | 'deleted';

export interface ProfileEventDetails {
  PartnerDataChanged: {
    guest: string; consentReference: string; partnerId: string; clientId: string;
    /** The object's name; absent for an imported copy (its name carries the sharer's initials). */
    name?: string; itemId: string;
    entityType: string; change: PartnerDataChange; importedFrom?: string;
  };
  PartnerDataShared: {
    guest: string; partnerId: string; clientId: string; name: string; itemId: string; sharingIdentifier: string;
    expiresAt?: string; maxImports?: number;
  };
  PartnerDataImported: {
    sharingIdentifier: string; sharer: string; importer: string; partnerId: string; clientId: string;
    /** The shared object's name (as in `PartnerDataShared`), never the copy's `{name}-{initials}`; the copy is `itemId`. */
    sharedName: string; itemId: string; refreshed: boolean;
  };
  /** `reason`: the guest withdrew it, the guest deleted the shared object, or erasure. */
  ShareWithdrawn: { guest: string; partnerId: string; sharingIdentifier: string; name: string; reason: 'guest' | 'erasure' | 'objectDeleted' };
  RelationEnded: { guest: string; partnerId: string };
  /** `cause`: the guest's `DELETE /me`, or a deletion of their consent reference through the consent API. */
  ProfileErased: { guest: string; consentReference?: string; itemsDeleted: number; sharesWithdrawn: number; cause: 'guest' | 'consentReferenceDeleted' };
}

export type ProfileEventType = keyof ProfileEventDetails;

/** The outbox Put that publishes the event in the same transaction as the write it announces. */
export function profileEvent<T extends ProfileEventType>(type: T, tenant: string, detail: ProfileEventDetails[T], now?: Date) {
  return outboxPut(domainEvent(PROFILE_SOURCE, type, { tenant, ...detail }, now));
}
