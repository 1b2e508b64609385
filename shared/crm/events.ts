import * as z from 'zod/mini';
import { type DetailOf, definedEvent, described, eventDetail, type GeneratedMember, type Without } from '../platform/event-schema.js';
import { lazily, once } from '../platform/lazy-events.js';
import { outboxPut } from '../platform/outbox.js';
import { PARTNER_ID_PATTERN } from '../platform/partner-id.js';

/**
 * The CRM audience's events (issue 13, decisions 0410–0412): what a partner is told about the guests related to it.
 * Source `mydata.profile`: the audience is part of the profile context, it only derives from profile's and
 * consent's events. Thin (decision 0305): ids, types, versions; never a name, never a value, never key
 * material. The data travels only through the pull API (`/profile/v1/crm/…`), decided at read time.
 */
export const CRM_SOURCE = 'mydata.profile' as const;

/** Members several details share, built with the first of them (decision 0125). */
const shared = once(() => ({
  partnerRef: described(z.string().check(z.regex(PARTNER_ID_PATTERN)), "Partner id in the tenant's partner tree."),
  /** The guest as every partner knows it: the token `sub` its apps see (decision 0410). */
  crmGuestId: described(
    z.string().check(z.minLength(1), z.maxLength(256)),
    "The guest as the partner knows it: the guest's token `sub` (the `sub` its apps receive). Never a name or other user data.",
  ),
  entityTypeName: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/)),
}));

export const PARTNER_NOTICES = [
  'data.created',
  'data.changed',
  'data.deleted',
  'data.imported',
  'relation.ended',
  'profile.erased',
  'consent.revoked',
  'purge.required',
] as const;
export type PartnerNoticeKind = (typeof PARTNER_NOTICES)[number];

/** Each built at its first use (decision 0125): a function pays only for the events it announces or consumes. */
export const crmEvents = lazily({
  PartnerNotice: () => eventDetail(CRM_SOURCE, 'PartnerNotice', "One notice to one partner about a guest related to it (issue 13): published once per recipient and cause by the CRM audience (decision 0411), delivered to the partner's subscriptions by the notification dispatcher. Thin: ids, types and versions, never personal data; the partner pulls the data through `/profile/v1/crm/…`. `eventId` is derived from (cause, recipient, notice), so a redelivered cause yields the same notice.", {
    partnerId: described(shared().partnerRef, 'The recipient partner.'),
    notice: described(z.enum(PARTNER_NOTICES), "What happened: `data.created|changed|deleted|imported` (an object the partner may see), `relation.ended`, `profile.erased`, `consent.revoked` (the partner may no longer read it), `purge.required` (delete what `purgeId` names, then acknowledge it)."),
    guest: shared().crmGuestId,
    entityType: z.optional(described(shared().entityTypeName, 'Entity type (consent schema) concerned; absent when the notice concerns the whole guest.')),
    itemId: z.optional(described(z.guid(), 'Stable id of the object concerned.')),
    version: z.optional(described(z.int().check(z.minimum(0)), "The object's version after the change (a partner ignores a notice older than what it holds).")),
    purgeId: z.optional(described(z.guid(), 'The purge to carry out and acknowledge (`purge.required`, and the notice announcing its cause).')),
    causeEventId: described(z.uuid(), 'The `eventId` of the domain event this notice derives from.'),
  }),
  PurgeAcknowledged: () => eventDetail(CRM_SOURCE, 'PurgeAcknowledged', 'A partner acknowledged a purge (signed with its subscription secret): it confirms it deleted what the purge named. Recorded once per purge.', {
    partnerId: shared().partnerRef,
    guest: shared().crmGuestId,
    purgeId: z.guid(),
    acknowledgedAt: z.iso.datetime(),
  }),
  PartnerNoticesContinued: () => eventDetail(CRM_SOURCE, 'PartnerNoticesContinued', "The audience's fan-out over a guest's related partners hands the rest on to the next invocation (decisions 0208, 0411). Consumed by the audience itself.", {
    guest: shared().crmGuestId,
    causeEventId: z.uuid(),
    cause: described(
      z.strictObject({
        notice: z.enum(PARTNER_NOTICES),
        entityType: z.optional(shared().entityTypeName),
        itemId: z.optional(z.guid()),
        version: z.optional(z.int().check(z.minimum(0))),
        creator: z.optional(shared().partnerRef),
        purge: z.boolean(),
        erased: z.optional(z.boolean()),
      }),
      'The normalised cause (ids only): the notice, the object, its creating partner, whether it requires a purge.',
    ),
    cursor: described(z.string().check(z.minLength(1), z.maxLength(2048)), 'Where the relation listing continues.'),
  }),
});

export type CrmEventType = keyof typeof crmEvents;
export type CrmEventDetail<T extends CrmEventType> = DetailOf<(typeof crmEvents)[T]>;

/** The outbox put of an event under a derived id (a re-run writes the same row, refused by the outbox's condition). */
export function crmEventPut<T extends CrmEventType>(type: T, detail: Without<CrmEventDetail<T>, GeneratedMember>, eventId?: string) {
  const event = definedEvent(crmEvents[type] as (typeof crmEvents)[CrmEventType], detail as never);
  return outboxPut(eventId ? { ...event, detail: { ...event.detail, eventId } } : event);
}
