import * as z from 'zod/mini';
import { type DetailOf, definedEvent, described, eventDetail, eventVariants, type GeneratedMember, uniqueArray, type Without } from '../platform/event-schema.js';
import { lazily, once } from '../platform/lazy-events.js';
import { outboxPut } from '../platform/outbox.js';

/**
 * The partner context's events, declared once (decision 0080; JSON Schemas in docs/events/partner/ are
 * generated from them). Details name the tenant and the partners involved, never a secret (no Zugang
 * passwords exist; user names only where the event is about them).
 */
export const PARTNER_SOURCE = 'mydata.partner' as const;

/** Members several details share, built with the first of them (decision 0125). */
const shared = once(() => ({
  partnerId: z.string().check(z.regex(/^[A-Z]{3}[0-9]{2}$/)),
}));

/** Each built at its first use (decision 0125): a function pays only for the events it announces or consumes. */
export const partnerEvents = lazily({
  PartnerCreated: () => eventVariants(
    PARTNER_SOURCE,
    'PartnerCreated',
    'A partner was created: over the API (POST /v2/partner/{parent}/untergeordnete), or as the root organisation or the first administrator of a newly onboarded tenant. Carries ids, the type and the lock only, never master data.',
    { partnerId: described(shared().partnerId, 'The new partner.') },
    [
      {
        title: 'created over the API',
        shape: {
          typ: z.enum(['PERSON', 'ORGANISATION']),
          parentId: described(shared().partnerId, 'The parent the partner was created below.'),
          createdBy: described(shared().partnerId, 'The acting partner.'),
          gesperrt: described(z.boolean(), "The partner's own lock at creation."),
        },
      },
      {
        title: 'tenant root (onboarding)',
        shape: {
          typ: z.literal('ORGANISATION'),
          root: described(z.literal(true), "Present on the tenant root's event only."),
        },
      },
      {
        title: 'tenant administrator (onboarding)',
        shape: {
          typ: z.literal('PERSON'),
          parentId: described(shared().partnerId, "The tenant's root."),
          einstellungsrechtAuf: described(
            uniqueArray(shared().partnerId).check(z.minLength(1)),
            "The tenant administrator's Einstellungsrechte beyond itself (the root).",
          ),
        },
      },
    ],
  ),
  PartnerUpdated: () => eventDetail(PARTNER_SOURCE, 'PartnerUpdated', "A partner's master data changed (PATCH, or a create that found the partner: 205). Names the changed attributes only, never their old or new values.", {
    partnerId: shared().partnerId,
    changedBy: described(shared().partnerId, "The acting partner."),
    changedFields: described(uniqueArray(z.enum(["anrede", "anschrift", "aufsichtsbehoerde", "bankverbindung", "email", "externePartnerId", "faxnummer", "firmenname", "firmennameZusatz", "geburtsdatum", "kreditsachbearbeiter", "mobilnummer", "nachname", "name", "registrierungsnummer", "telefonnummer", "titelFunktion", "vorname", "webseite"])).check(z.minLength(1)), "Top-level attribute names, sorted; `anschrift`/`bankverbindung` stand for any of their fields."),
  }),
  PartnerLocked: () => eventDetail(PARTNER_SOURCE, 'PartnerLocked', "The partner's own lock was set (PATCH or create-or-update with `gesperrt: true`). Its whole subtree is `gesperrt` from now on; descendants get no event of their own.", {
    partnerId: described(shared().partnerId, "The partner whose own lock changed."),
    changedBy: described(shared().partnerId, "The acting partner (a partner never locks or unlocks itself)."),
    gesperrt: described(z.literal(true), "The partner's own lock after the change."),
  }),
  PartnerUnlocked: () => eventDetail(PARTNER_SOURCE, 'PartnerUnlocked', "The partner's own lock was lifted (`gesperrt: false`). The partner (and its subtree) may still be `gesperrt` through a locked ancestor.", {
    partnerId: described(shared().partnerId, "The partner whose own lock changed."),
    changedBy: described(shared().partnerId, "The acting partner (a partner never locks or unlocks itself)."),
    gesperrt: described(z.literal(false), "The partner's own lock after the change."),
  }),
  PartnerMoved: () => eventDetail(PARTNER_SOURCE, 'PartnerMoved', "A partner was moved below another parent (PUT /v2/partner/{id}/parent); its subtree moved with it and visibility follows at once.", {
    partnerId: described(shared().partnerId, "The moved partner (the root of the moved subtree)."),
    fromParentId: shared().partnerId,
    toParentId: shared().partnerId,
    movedBy: described(shared().partnerId, "The acting partner (holds the Einstellungsrecht on the partner and the new parent)."),
  }),
  PartnerPathRewriteContinued: () => eventDetail(PARTNER_SOURCE, 'PartnerPathRewriteContinued', "The stored ancestor paths below a moved partner are being rewritten, a bounded page per invocation (decision 0208): the move puts the first with its own write, each page the next. Consumed by the partner context itself; reads correct a path not yet rewritten from the ancestors' rows meanwhile (decision 0101). A later move of the same partner ends the chain (its own chain starts over).", {
    partnerId: described(shared().partnerId, "The moved partner (the root of the subtree being rewritten)."),
    moveId: described(z.uuid(), "The move this chain belongs to (stored on the moved partner)."),
    cursor: z.optional(described(z.string().check(z.minLength(1), z.maxLength(65536)), "Opaque position of the depth-first walk of the subtree; absent on the first page.")),
  }),
  RechteChanged: () => eventDetail(PARTNER_SOURCE, 'RechteChanged', "A partner's rights changed (PATCH/POST …/rechte, or `rechte` in a create-or-update).", {
    partnerId: shared().partnerId,
    changedBy: described(shared().partnerId, "The acting partner (it holds every right it switched on)."),
    rechte: described(z.strictObject({
      partnermanagement: z.strictObject({
        apiClientEinstellungenVornehmen: z.boolean(),
        einstellungenOeffnen: z.boolean(),
        baufiSmartEinstellungenVornehmen: z.boolean(),
        partnerAnlegen: z.boolean(),
      }),
      baufismart: z.strictObject({
        baufiSmartNutzen: z.boolean(),
        echtgeschaeft: z.boolean(),
        vorgaengeUeberOberflaecheAnlegen: z.boolean(),
        ergebnisListeNutzen: z.boolean(),
        loeschen: z.boolean(),
      }),
      kreditsmart: z.strictObject({
        echtgeschaeft: z.boolean(),
        kreditSmartSichtbar: z.boolean(),
        versicherungAnbieten: z.boolean(),
        vorgaengeUeberOberflaecheAnlegen: z.boolean(),
      }),
    }), "The partner's complete rights after the change (every flag, not only the changed ones), grouped as the spec's Rechte."),
  }),
  ZugangChanged: () => eventDetail(PARTNER_SOURCE, 'ZugangChanged', "A person's Zugang was created or its identity-provider user name changed. Carries the status only, never a user name.", {
    partnerId: described(shared().partnerId, "The person whose Zugang changed."),
    status: z.enum(["KEIN_ZUGANG", "ZUGANG_UNBESTAETIGT", "ZUGANG_REGISTRIERT", "ZUGANG_REGISTRIERT_KEIN_ZUGANG", "BENUTZERNAME_AENDERUNG_UNBESTAETIGT"]),
    changedBy: described(shared().partnerId, "The acting partner."),
  }),
  ZugangActivationRequested: () => eventDetail(PARTNER_SOURCE, 'ZugangActivationRequested', "A Zugang was created with a benutzername and `sendEmail=true`: an activation mail is to be sent to `benutzername`, replies going to `replyTo` (the guide's rule: the creating partner's e-mail, else its own benutzername, else noreply@europace2.de), carrying `activationToken` for the activation step (`POST /v2/partner/{partnerId}/zugang/aktivierung`), valid until `activationExpiresAt` and once. The only partner event carrying e-mail addresses and a token, because sending that mail needs them; the platform stores only the token's hash. Never a password.", {
    partnerId: described(shared().partnerId, "The person who gets the Zugang."),
    benutzername: described(z.email().check(z.maxLength(500)), "The new user's e-mail address (the activation mail's recipient)."),
    replyTo: z.email().check(z.maxLength(500)),
    requestedBy: described(shared().partnerId, "The acting (creating) partner."),
    activationToken: described(z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)), "The one-time activation token (32 random bytes, base64url) the mail's link carries."),
    activationExpiresAt: described(z.iso.datetime(), "Until when the token activates the Zugang."),
  }),
  UebernahmeRechtGranted: () => eventDetail(PARTNER_SOURCE, 'UebernahmeRechtGranted', "A Zugriffsrecht (Übernahmerecht) was granted: `partnerId` may from now on take over the Vorgänge of `target` and of everything below it. Granting an existing one again emits nothing.", {
    partnerId: described(shared().partnerId, "The holder of the new right."),
    target: described(shared().partnerId, "The partner whose Vorgänge may be taken over."),
    grantedBy: described(shared().partnerId, "The acting partner (holds the Einstellungsrecht on both)."),
  }),
  EinstellungsrechtGranted: () => eventDetail(PARTNER_SOURCE, 'EinstellungsrechtGranted', "`partnerId` was given the explicit Einstellungsrecht on `target` (and so on everything below it) through `PUT /v2/partner/{partnerId}/einstellungsrechtFuer/{target}`; `administrierbare` lists it from now on. Granting an existing one again emits nothing.", {
    partnerId: described(shared().partnerId, "The holder of the new right."),
    target: described(shared().partnerId, "The partner it may now see and administer."),
    grantedBy: described(shared().partnerId, "The acting partner (holds the Einstellungsrecht on both)."),
  }),
  EinstellungsrechtRevoked: () => eventDetail(PARTNER_SOURCE, 'EinstellungsrechtRevoked', "`partnerId` lost its explicit Einstellungsrecht on `target` (`DELETE /v2/partner/{partnerId}/einstellungsrechtFuer/{target}`); what it saw only through it is invisible to it from now on.", {
    partnerId: described(shared().partnerId, "The former holder."),
    target: described(shared().partnerId, "The partner it no longer administers through this right."),
    revokedBy: described(shared().partnerId, "The acting partner (holds the Einstellungsrecht on both, is not the holder)."),
  }),
  HandelsbeziehungAdded: () => eventDetail(PARTNER_SOURCE, 'HandelsbeziehungAdded', "`partnerId` and `target` trade with each other from now on (`PUT /v2/partner/{partnerId}/handelsbeziehungen/{target}`): each may read the other's Kontaktdaten. One relation, emitted once. Adding an existing one again emits nothing.", {
    partnerId: described(shared().partnerId, "The partner named in the path."),
    target: described(shared().partnerId, "The partner it trades with."),
    changedBy: described(shared().partnerId, "The acting partner (holds the Einstellungsrecht on both)."),
  }),
  HandelsbeziehungRemoved: () => eventDetail(PARTNER_SOURCE, 'HandelsbeziehungRemoved', "The trading relation of `partnerId` and `target` ended (`DELETE /v2/partner/{partnerId}/handelsbeziehungen/{target}`): neither reads the other's Kontaktdaten through it any more.", {
    partnerId: described(shared().partnerId, "The partner named in the path."),
    target: described(shared().partnerId, "The partner it no longer trades with."),
    changedBy: described(shared().partnerId, "The acting partner (holds the Einstellungsrecht on both)."),
  }),
  PartnerkennzeichenChanged: () => eventDetail(PARTNER_SOURCE, 'PartnerkennzeichenChanged', "The partner codes of `partnerId` were replaced (`PUT /v2/partner/{partnerId}/partnerkennzeichen`). Names the codes that changed (added, changed or removed), never their values. Unchanged codes emit nothing.", {
    partnerId: described(shared().partnerId, "The partner whose codes changed."),
    changedBy: described(shared().partnerId, "The acting partner (holds the Einstellungsrecht on it)."),
    changedKennzeichen: described(uniqueArray(z.string().check(z.regex(/^[A-Za-z]{1,64}$/))).check(z.minLength(1)), "Top-level names of the codes that changed, sorted."),
  }),
  LizenzChanged: () => eventDetail(PARTNER_SOURCE, 'LizenzChanged', "A licence of `partnerId` was switched on or off (`PUT /v2/partner/{partnerId}/lizenzen/{lizenz}`). Switching it to the state it has emits nothing.", {
    partnerId: described(shared().partnerId, "The partner whose licence changed."),
    lizenz: described(z.string().check(z.regex(/^[a-z][A-Za-z0-9]{0,62}$/)), "The licence, e.g. `europaceOne`."),
    aktiv: described(z.boolean(), "The licence's state after the change."),
    changedBy: described(shared().partnerId, "The acting partner."),
  }),
  AdministratorRestored: () => eventDetail(PARTNER_SOURCE, 'AdministratorRestored', "The platform operator restored a tenant administrator (`POST /admin/v1/tenants/{tenant}/administrator/restore`): every right, its own lock lifted and the Einstellungsrecht on the tenant's root. Emitted also when nothing had to change, as the operator's act is itself worth recording.", {
    partnerId: described(shared().partnerId, "The tenant's administrator (as onboarded)."),
    rootPartnerId: described(shared().partnerId, "The tenant's root, on which the administrator holds the Einstellungsrecht again."),
    restoredBy: described(z.string().check(z.minLength(1), z.maxLength(200)), "The operator's subject (`sub` of the system token)."),
    rechte: described(z.record(z.string(), z.record(z.string(), z.boolean())), "All 13 rights after the restore (all true)."),
    gesperrt: described(z.literal(false), "The administrator's own lock after the restore."),
  }),
});

export type PartnerEventType = keyof typeof partnerEvents;
export type PartnerEventDetail<T extends PartnerEventType> = DetailOf<(typeof partnerEvents)[T]>;

/** The outbox Put that publishes the event in the same transaction as the write it announces. */
export function partnerEvent<T extends PartnerEventType>(type: T, detail: Without<PartnerEventDetail<T>, GeneratedMember>, now?: Date) {
  const definition = partnerEvents[type] as (typeof partnerEvents)[PartnerEventType];
  return outboxPut(definedEvent(definition, detail as never, now));
}
