import * as z from 'zod/mini';
import { type DetailOf, definedEvent, described, eventDetail, type GeneratedMember, type Without } from '../platform/event-schema.js';
import { lazily, once } from '../platform/lazy-events.js';
import { outboxPut } from '../platform/outbox.js';

/**
 * The profile context's events, declared once (decision 0080; JSON Schemas in docs/events/profile/ are
 * generated from them). Details carry the tenant and the ids involved (guests, partner, app, object name,
 * sharing identifier); never decrypted user data, never key material, never a guest's name or initials.
 * An imported copy's name contains the sharer's initials (`{name}-{initials}`), so no event carries a
 * copy's name: `PartnerDataImported` names the shared object (`sharedName`) and the copy by its id,
 * `PartnerDataChanged` of a copy has no `name` (decision 0305).
 */
export const PROFILE_SOURCE = 'mydata.profile' as const;

/** Members several details share, built with the first of them (decision 0125). */
const shared = once(() => ({
  guestId: described(z.string().check(z.minLength(1), z.maxLength(256)), 'A guest id (token `sub`); never a name or other user data.'),
  guestReference: z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)),
  partnerRef: described(z.string().check(z.minLength(1), z.maxLength(64)), "Partner id in the tenant's partner tree."),
  clientId: z.string().check(z.minLength(1), z.maxLength(256)),
}));

/** Each built at its first use (decision 0125): a function pays only for the events it announces or consumes. */
export const profileEvents = lazily({
  PartnerDataChanged: () => eventDetail(PROFILE_SOURCE, 'PartnerDataChanged', "An object of the guest's data (any entity type written through the data API: `PartnerData`, `Order`, …; `entityType` says which) was created, updated or deleted (also an imported copy written by its owner). Carries ids only, never the object, and never a copy's name (it contains the sharer's initials).", {
    guest: shared().guestId,
    consentReference: described(shared().guestReference, "The guest's (leading) consent reference."),
    partnerId: shared().partnerRef,
    clientId: described(shared().clientId, "The partner app (`client_id`, the subscription key)."),
    name: z.optional(described(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,140}$/)), "Name of the object (an id chosen by the app, not its content). Absent when the object is an imported copy (`importedFrom` set): a copy's name `{name}-{initials}` carries the sharer's initials, which never go on the bus (decision 0305); `itemId` identifies it.")),
    itemId: described(z.guid(), "Stable id of the stored item."),
    entityType: described(z.string().check(z.minLength(1), z.regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/)), "Schema of the tenant's metamodel the object belongs to (`PartnerData`, `Order`, `Ticket`, …; never `Person`)."),
    change: z.enum(["created", "updated", "deleted"]),
    version: z.optional(described(z.int().check(z.minimum(0)), "The object's version after the change (for `deleted`: the version deleted). Lets a CRM notice carry it (decision 0411).")),
    importedFrom: z.optional(described(z.guid(), "Sharing identifier of the share this item is a copy of. Set on every change of a copy, also when its owner edits it: the owner's edit keeps the link, and the next import of that share refreshes this copy (decision 0303). Absent when the item is not a copy.")),
  }),
  ProfileChanged: () => eventDetail(PROFILE_SOURCE, 'ProfileChanged', "The guest's own profile (`Person`, `PUT /me`) was created or updated. Ids and the version only, never a value: related partners learn of it through the CRM audience and read it through the pull API (decision 0411).", {
    guest: shared().guestId,
    consentReference: described(shared().guestReference, "The guest's (leading) consent reference."),
    itemId: described(z.guid(), 'Stable id of the `Person` item.'),
    version: z.int().check(z.minimum(1)),
    change: z.enum(["created", "updated"]),
    partnerId: z.optional(described(shared().partnerRef, "The partner whose app the guest wrote through; absent on the platform's own pages.")),
    clientId: z.optional(described(shared().clientId, 'The partner app, when written through one.')),
  }),
  PartnerDataShared: () => eventDetail(PROFILE_SOURCE, 'PartnerDataShared', "A guest shared a partner-data object: friends may import a copy through an app of the same partner.", {
    guest: shared().guestId,
    partnerId: shared().partnerRef,
    clientId: described(shared().clientId, "The partner app (`client_id`, the subscription key)."),
    name: described(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,140}$/)), "Name of the partner-data object (an id chosen by the app, not its content)."),
    itemId: z.guid(),
    sharingIdentifier: z.guid(),
    expiresAt: z.optional(described(z.iso.datetime(), "Imports are refused after this time.")),
    maxImports: z.optional(described(z.int().check(z.minimum(1)), "Maximum number of distinct importing guests.")),
  }),
  PartnerDataImported: () => eventDetail(PROFILE_SOURCE, 'PartnerDataImported', "A guest imported (or, with `refreshed`, re-imported in place) a shared object as a disconnected copy. Names the shared object (`sharedName`) and the copy by its id only: the copy's name `{name}-{initials}` carries the sharer's initials and never goes on the bus (decision 0305).", {
    sharingIdentifier: z.guid(),
    sharer: shared().guestId,
    importer: shared().guestId,
    partnerId: shared().partnerRef,
    clientId: described(shared().clientId, "The importing app."),
    sharedName: described(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/)), "Name of the shared object, as the sharer's app named it (the `name` of `PartnerDataShared`). Not the copy's name, which contains the sharer's initials; the importing app receives that in the HTTP answer."),
    itemId: described(z.guid(), "Id of the copy in the importer's profile."),
    version: z.optional(described(z.int().check(z.minimum(0)), "The copy's version after the import.")),
    refreshed: z.boolean(),
  }),
  ShareWithdrawn: () => eventDetail(PROFILE_SOURCE, 'ShareWithdrawn', "A share was withdrawn (by the guest, by deleting the shared object, or by erasure of the profile). Copies already imported stay; new imports get 404.", {
    guest: shared().guestId,
    partnerId: shared().partnerRef,
    sharingIdentifier: z.guid(),
    name: described(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,140}$/)), "Name of the partner-data object (an id chosen by the app, not its content)."),
    reason: z.enum(["guest", "erasure", "objectDeleted"]),
  }),
  RelationEnded: () => eventDetail(PROFILE_SOURCE, 'RelationEnded', "The guest ended a partner's relation; the partner's access to shared entity types ended at once.", {
    guest: shared().guestId,
    partnerId: shared().partnerRef,
  }),
  ProfileErased: () => eventDetail(PROFILE_SOURCE, 'ProfileErased', "A guest's data was erased: on `DELETE /me` every key destroyed (crypto-shredding), items deleted, shares withdrawn; after a consent reference deletion, the items sealed under it.", {
    guest: shared().guestId,
    consentReference: z.optional(described(shared().guestReference, "The deleted consent reference, when the guest had one.")),
    itemsDeleted: z.int().check(z.minimum(0)),
    sharesWithdrawn: z.int().check(z.minimum(0)),
    cause: described(z.enum(["guest", "consentReferenceDeleted"]), "`guest`: the guest erased their profile (`DELETE /me`). `consentReferenceDeleted`: their consent reference was deleted through the consent API; the items sealed under it (and their shares) were erased."),
  }),
});

export type ProfileEventType = keyof typeof profileEvents;
export type ProfileEventDetail<T extends ProfileEventType> = DetailOf<(typeof profileEvents)[T]>;
export type PartnerDataChange = ProfileEventDetail<'PartnerDataChanged'>['change'];

/** The outbox Put that publishes the event in the same transaction as the write it announces. */
export function profileEvent<T extends ProfileEventType>(
  type: T,
  tenant: string,
  detail: Without<ProfileEventDetail<T>, GeneratedMember | 'tenant'>,
  now?: Date,
) {
  const definition = profileEvents[type] as (typeof profileEvents)[ProfileEventType];
  // Purge causes wait for the CRM audience's confirmation, not the bus's (decision 0421).
  const purgeCause = type === 'RelationEnded' || type === 'ProfileErased';
  return outboxPut(definedEvent(definition, { tenant, ...detail } as never, now), { confirmBy: purgeCause ? 'consumer' : 'bus' });
}
