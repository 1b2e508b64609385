import type { ConsentEventDetail } from '../consent/events.js';
import { referenceUser } from '../profile/consent-port.js';
import type { ProfileEventDetail } from '../profile/events.js';
import type { Cause } from './audience.js';

/**
 * The domain events the audience listens to, reduced to causes (decision 0411). Ids and types only: the
 * audience never reads a payload. `guest` is the token `sub`, the id every partner knows the guest by.
 */
export interface GuestCause {
  readonly guest: string;
  readonly causes: readonly Cause[];
}

const CHANGE_NOTICE = { created: 'data.created', updated: 'data.changed', deleted: 'data.deleted' } as const;

export const dataChanged = (d: ProfileEventDetail<'PartnerDataChanged'>): GuestCause => ({
  guest: d.guest,
  causes: [{
    notice: CHANGE_NOTICE[d.change], entityType: d.entityType, itemId: d.itemId, purge: false,
    ...(d.version !== undefined ? { version: d.version } : {}), ...(d.partnerId ? { creator: d.partnerId } : {}),
  }],
});

export const profileChanged = (d: ProfileEventDetail<'ProfileChanged'>): GuestCause => ({
  guest: d.guest,
  causes: [{ notice: CHANGE_NOTICE[d.change], entityType: 'Person', itemId: d.itemId, version: d.version, purge: false, ...(d.partnerId ? { creator: d.partnerId } : {}) }],
});

export const dataImported = (d: ProfileEventDetail<'PartnerDataImported'>): GuestCause => ({
  guest: d.importer,
  causes: [{ notice: 'data.imported', entityType: 'PartnerData', itemId: d.itemId, creator: d.partnerId, purge: false, ...(d.version !== undefined ? { version: d.version } : {}) }],
});

export const relationEnded = (d: ProfileEventDetail<'RelationEnded'>): GuestCause => ({
  guest: d.guest,
  causes: [{ notice: 'relation.ended', creator: d.partnerId, purge: true }],
});

export const profileErased = (d: ProfileEventDetail<'ProfileErased'>): GuestCause => ({
  guest: d.guest,
  causes: [{ notice: 'profile.erased', purge: true, erased: d.cause === 'guest' }],
});

/** A revoke names a reference; its user is the guest (an anonymous reference concerns no partner's CRM). */
export async function consentRevoked(d: ConsentEventDetail<'ConsentRevoked'>): Promise<GuestCause | undefined> {
  const guest = await referenceUser(d.tenant, d.consentReference);
  if (!guest) return undefined;
  return { guest, causes: d.revokedConsents.map((entityType) => ({ notice: 'consent.revoked', entityType, purge: true }) satisfies Cause) };
}
