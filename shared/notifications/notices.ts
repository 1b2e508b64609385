import { PARTNER_NOTICES, type PartnerNoticeKind } from '../crm/events.js';

/**
 * The notices a partner can receive: the `PartnerNotice` event's `notice` (declared by the CRM audience,
 * shared/crm/events.ts). A subscription may filter on them; without a filter it receives all.
 */
export const NOTICE_KINDS = PARTNER_NOTICES;
export type NoticeKind = PartnerNoticeKind;

/**
 * Notices about the guest as a whole, or that make the partner forget: they reach every active subscription
 * of the partner whatever entity types it names — a purge must never miss the partner because of a filter
 * on types. The `notices` filter still applies (a partner that filtered them out chose to pull instead).
 */
export const GUEST_WIDE_NOTICES: ReadonlySet<string> = new Set(['relation.ended', 'profile.erased', 'consent.revoked', 'purge.required']);
