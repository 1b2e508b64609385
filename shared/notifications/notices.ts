/**
 * The notices a partner can receive (issue 13; the `PartnerNotice` event's `notice`, declared by the
 * profile side in shared/crm/events.ts). A subscription may filter on them; without a filter it receives all.
 */
export const NOTICE_KINDS = [
  'data.created',
  'data.changed',
  'data.deleted',
  'data.imported',
  'relation.ended',
  'profile.erased',
  'consent.revoked',
  'purge.required',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Notices about a guest as a whole rather than one entity: they reach every subscription whatever its types. */
export const GUEST_WIDE_NOTICES: ReadonlySet<string> = new Set(['relation.ended', 'profile.erased', 'consent.revoked', 'purge.required']);
