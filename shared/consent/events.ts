import * as z from 'zod/mini';
import { type DetailOf, definedEvent, described, eventDetail, type GeneratedMember, type Without } from '../platform/event-schema.js';
import { lazily, once } from '../platform/lazy-events.js';
import { outboxPut } from '../platform/outbox.js';

/**
 * The consent context's events, declared once (decision 0080): the producer parses what it builds with
 * these schemas, consumers (`eventHandler`) parse what they receive, and docs/events/consent/*.schema.json
 * is generated from them (`npm run events:generate`). Details carry the tenant, the references and schemas
 * involved and the history head; never a key, a grant blob's key material, a reference token or a user's data.
 */
export const CONSENT_SOURCE = 'mydata.consent' as const;

/** Members several details share, built with the first of them (decision 0125). */
const shared = once(() => ({
  consentRef: z.string().check(z.regex(/^(TENANT|YPROFILE|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/)),
  historyHash: described(
    z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    "Head of the reference's tamper-evident history after this change (GET .../history).",
  ),
  guestId: described(z.string().check(z.minLength(1), z.maxLength(256)), 'A user id (token `sub`); never a name or other user data.'),
}));

/**
 * What the seed's REVOKED and DELETE events carry, so enrichers written against the seed work on ours:
 * `context.consentRefId` (the reference), `context.id` (the event's id), `schema: "core/ConsentReference"`
 * and `operation`. The seed's `context.location` pointed at a second event holding `{id, revokedConsents}`;
 * ours carries those members inline, so there is no location to fetch. `consentEvent` fills them in.
 */
const seedMembers = <O extends 'REVOKED' | 'DELETE'>(operation: O) => ({
  context: described(
    z.strictObject({ consentRefId: shared().consentRef, id: z.uuid() }),
    "As the seed's event `context`: `consentRefId` is the reference (= `id`), `id` the event's id (= `eventId`). The seed's `location` pointed at a second event holding `{id, revokedConsents}`; this event carries those members itself, so there is no location.",
  ),
  schema: described(z.literal('core/ConsentReference'), "As the seed's event: the type of event."),
  operation: described(z.literal(operation), "As the seed's event: the type of operation."),
});

/** Each built at its first use (decision 0125): a function pays only for the events it announces or consumes. */
export const consentEvents = lazily({
  ConsentReferenceRequested: () => eventDetail(CONSENT_SOURCE, 'ConsentReferenceRequested', "A consent reference was requested (POST /{tenant}/consentReferences); it is pending until ConsentReferenceCreated.", {
    consentReference: shared().consentRef,
    kind: z.enum(["user", "anonymous"]),
  }),
  ConsentReferenceCreated: () => eventDetail(CONSENT_SOURCE, 'ConsentReferenceCreated', "The consents and keys of a requested reference exist; it is active.", {
    consentReference: shared().consentRef,
    kind: z.enum(["user", "anonymous", "tenant"]),
    grantedConsents: described(z.array(z.string().check(z.minLength(1))), "Schemas granted at creation."),
  }),
  ConsentGranted: () => eventDetail(CONSENT_SOURCE, 'ConsentGranted', "Consents were granted, each with new key material (a new grant blob).", {
    consentReference: shared().consentRef,
    consentClass: z.optional(described(z.string(), "Present when granted by class.")),
    grantedConsents: z.array(z.string().check(z.minLength(1))),
    historyHash: shared().historyHash,
  }),
  ConsentRevoked: () => eventDetail(CONSENT_SOURCE, 'ConsentRevoked', "Consents were revoked: their grant blobs were cleared and their keys destroyed; data written under them can never be read again. On a merged reference this covers its aliases' keys of those schemas too (data sealed under an alias before the merge); `revokedConsents` then also names a schema only an alias still held a key for. `id` and `revokedConsents` as in the seed's revocation event. It also carries the seed's REVOKED event members (`context.consentRefId`, `context.id`, `schema: core/ConsentReference`, `operation: REVOKED`), so an enricher written against the seed works unchanged. A merge that shreds an alias's keys of schemas the leader does not grant announces it with this event for the alias and `mergedInto` (decision 0204): not a revoke by anyone, but the same effect on the data.", {
    id: shared().consentRef,
    consentReference: shared().consentRef,
    consentClass: z.optional(described(z.string(), "Present when revoked by class.")),
    revokedConsents: described(z.array(z.string().check(z.minLength(1))), "The schemas whose keys were destroyed, as in the seed's revocation event."),
    historyHash: shared().historyHash,
    ...seedMembers('REVOKED'),
    mergedInto: z.optional(described(shared().consentRef, "Present when a merge into this leading reference shredded the keys (the leader does not grant these schemas), not a revoke; `historyHash` is then the leader's head after the merge.")),
  }),
  ConsentReferenceDeleted: () => eventDetail(CONSENT_SOURCE, 'ConsentReferenceDeleted', "A consent reference was deleted with all its consents and keys: a leader with its aliases, or an alias alone (detached from its leader, `aliases` empty). `id` as in the seed's deletion event. It also carries the seed's DELETE event members (`context.consentRefId`, `context.id`, `schema: core/ConsentReference`, `operation: DELETE`) and `revokedConsents`, the schemas that were granted on the deleted reference(s) and whose keys went with them, so an enricher written against the seed works unchanged.", {
    id: shared().consentRef,
    consentReference: shared().consentRef,
    aliases: z.array(shared().consentRef),
    users: described(z.array(shared().guestId), "Ids (token `sub`) of the signed-in users whose references were deleted, so the profile context can erase their data of these references; empty for anonymous references."),
    ...seedMembers('DELETE'),
    revokedConsents: described(z.array(z.string().check(z.minLength(1))), "The schemas granted on the deleted reference(s) at the deletion (sorted): their keys were destroyed with it."),
  }),
  ConsentReferenceBlocked: () => eventDetail(CONSENT_SOURCE, 'ConsentReferenceBlocked', "The tenant blocked a reference: its data can be neither read nor written and its consents cannot change.", {
    consentReference: shared().consentRef,
    historyHash: shared().historyHash,
  }),
  ConsentReferenceUnblocked: () => eventDetail(CONSENT_SOURCE, 'ConsentReferenceUnblocked', "The tenant lifted the block; data and consents are as before.", {
    consentReference: shared().consentRef,
    historyHash: shared().historyHash,
  }),
  ConsentReferencesMerged: () => eventDetail(CONSENT_SOURCE, 'ConsentReferencesMerged', "References were merged into a leading reference; every alias now acts as the leader.", {
    leadingConsentReference: shared().consentRef,
    aliases: z.array(shared().consentRef).check(z.minLength(1)),
    historyHash: shared().historyHash,
  }),
  ConsentSchemaChanged: () => eventDetail(CONSENT_SOURCE, 'ConsentSchemaChanged', "A schema of the tenant's metamodel was added, changed, re-added (active) or removed (inactive: its consents and data are hidden, nothing is deleted). Consumed by the consent context itself to copy the entry onto every reference's consent rows.", {
    schema: z.string().check(z.minLength(1)),
    consentClass: z.optional(z.string().check(z.minLength(1))),
    owner: z.enum(["user", "tenant"]),
    active: z.boolean(),
    revision: described(z.int().check(z.minimum(1)), "The schema's revision after this change; the fan-out copies the current entry and never an older revision (decision 0202)."),
  }),
  ConsentSchemaSyncContinued: () => eventDetail(CONSENT_SOURCE, 'ConsentSchemaSyncContinued', "The fan-out of a schema change hands the rest of the tenant's references on to the next invocation (decision 0208). Consumed by the consent context itself; a newer revision of the schema ends the chain (its own chain starts over).", {
    schema: z.string().check(z.minLength(1)),
    revision: described(z.int().check(z.minimum(0)), "The schema's revision the chain copies."),
    cursor: described(z.string().check(z.minLength(1), z.maxLength(16384)), "Opaque position in the tenant's reference index where the next page starts."),
  }),
});

export type ConsentEventType = keyof typeof consentEvents;
export type ConsentEventDetail<T extends ConsentEventType> = DetailOf<(typeof consentEvents)[T]>;

const SEED_OPERATION: Partial<Record<ConsentEventType, 'REVOKED' | 'DELETE'>> = { ConsentRevoked: 'REVOKED', ConsentReferenceDeleted: 'DELETE' };
type SeedEventType = 'ConsentRevoked' | 'ConsentReferenceDeleted';
/** What the code announcing an event supplies: not the ids and time, not the tenant (an argument), not the seed members. */
export type ConsentEventInput<T extends ConsentEventType> = Without<
  ConsentEventDetail<T>,
  GeneratedMember | 'tenant' | (T extends SeedEventType ? 'context' | 'schema' | 'operation' : never)
>;

/** The outbox Put that publishes the event in the same transaction as the write it announces. */
export function consentEvent<T extends ConsentEventType>(type: T, tenant: string, detail: ConsentEventInput<T>, now?: Date) {
  const operation = SEED_OPERATION[type];
  const seed = operation
    ? (eventId: string) => ({ context: { consentRefId: (detail as unknown as { id: string }).id, id: eventId }, schema: 'core/ConsentReference', operation })
    : undefined;
  const definition = consentEvents[type] as (typeof consentEvents)[ConsentEventType];
  // A revoke is a purge cause: its row waits for the CRM audience's confirmation, not the bus's (decision 0421).
  return outboxPut(definedEvent(definition, { tenant, ...detail } as never, now, seed), { confirmBy: type === 'ConsentRevoked' ? 'consumer' : 'bus' });
}
