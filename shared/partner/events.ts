import { domainEvent, outboxPut } from '../platform/outbox.js';

/**
 * The partner context's events. Details name the tenant and the partners involved, never a secret
 * (no Zugang passwords exist; user names only where the event is about them).
 */
export type PartnerEventType =
  | 'PartnerCreated'
  | 'PartnerUpdated'
  | 'PartnerLocked'
  | 'PartnerUnlocked'
  | 'PartnerMoved'
  | 'RechteChanged'
  | 'ZugangChanged'
  | 'ZugangActivationRequested'
  | 'UebernahmeRechtGranted'
  | 'EinstellungsrechtGranted'
  | 'EinstellungsrechtRevoked'
  | 'HandelsbeziehungAdded'
  | 'HandelsbeziehungRemoved'
  | 'PartnerkennzeichenChanged'
  | 'LizenzChanged'
  | 'AdministratorRestored';

export const PARTNER_SOURCE = 'mydata.partner' as const;

export function partnerEvent(type: PartnerEventType, detail: { tenant: string; partnerId: string; [field: string]: unknown }, now?: Date) {
  return outboxPut(domainEvent(PARTNER_SOURCE, type, detail, now));
}
