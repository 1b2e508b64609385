import * as z from 'zod/mini';
import type { ResponsesByRoute } from '../types.js';

/** What the partner's CRM routes answer (functions/crm, shared/crm; docs/crm.md). Errors: shared/crm/errors.ts. */
const guests = z.object({
  guests: z.array(z.object({ guest: z.string(), state: z.enum(['active', 'ended']), since: z.string(), endedAt: z.optional(z.string()) })),
  next: z.optional(z.string()),
});
const changes = z.object({
  changes: z.array(
    z.object({
      eventId: z.string(),
      recordedAt: z.string(),
      notice: z.string(),
      guest: z.string(),
      entityType: z.optional(z.string()),
      itemId: z.optional(z.string()),
      version: z.optional(z.number()),
      purgeId: z.optional(z.string()),
      causeEventId: z.string(),
    }),
  ),
  changedUntil: z.string(),
  next: z.optional(z.string()),
});
const entry = {
  itemId: z.string(),
  name: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.optional(z.string()),
  data: z.unknown(),
};
const data = z.object({ guest: z.string(), entityType: z.string(), items: z.array(z.object(entry)), next: z.optional(z.string()) });
const item = z.object({ guest: z.string(), entityType: z.string(), ...entry });
const purge = {
  purgeId: z.string(),
  guest: z.string(),
  reason: z.string(),
  entityTypes: z.optional(z.array(z.string())),
  createdAt: z.string(),
  acknowledgedAt: z.optional(z.string()),
};
const purges = z.object({ purges: z.array(z.object(purge)), next: z.optional(z.string()) });
const acknowledged = z.object({ ...purge, partnerId: z.string(), recorded: z.boolean() });

const LINK = { Link: 'The next page (`rel="next"`), when there is one.' };
const PARTNER = 'The partner is not registered in the tenant, or it (or an ancestor) is locked.';
const NOT_FOUND = 'No relation between the guest and the partner, or the entity type is not a user schema of the tenant.';
const RATE = {
  description: 'Over the partner’s CRM request rate (`CrmRequestRateExceeded`, decision 0404): 1200 requests a minute across the CRM routes; nothing was read or written.',
  headers: { 'Retry-After': 'Seconds until the next minute’s requests are counted.' },
};
const GONE = "The partner must forget: the guest ended the relation (`RelationEnded`), erased the profile (`ProfileErased`) or does not consent to the type (`ConsentRevoked`); `details.reason` names it.";

export const crmResponses: ResponsesByRoute = {
  ListCrmGuests: { 200: { description: 'A page of the guests related to the partner (every state).', body: guests, headers: LINK }, 403: PARTNER, 429: RATE },
  ListCrmChanges: {
    200: { description: 'A page of the notices recorded for the partner since `changedSince`; without `next`, `changedUntil` is the next `changedSince`.', body: changes, headers: LINK },
    403: PARTNER,
    429: RATE,
  },
  GetCrmGuestData: {
    200: { description: "A page of the guest's objects of the type the partner may see, decrypted.", body: data, headers: LINK },
    403: PARTNER,
    404: NOT_FOUND,
    409: 'The schema is still being set up (pending; `Retry-After`), or the guest’s reference changed concurrently.',
    410: GONE,
    423: 'The guest’s consent reference is blocked by the tenant: no data.',
    429: RATE,
  },
  GetCrmGuestItem: {
    200: { description: 'The object the notice names, decrypted.', body: item, headers: { ETag: 'The version of the object.' } },
    403: PARTNER,
    404: 'No relation, not a user schema of the tenant, or no object of this id the partner may see (deleted, not shared, not its apps\u2019).',
    409: 'The schema is still being set up (pending; `Retry-After`), or the guest’s reference changed concurrently.',
    410: GONE,
    423: 'The guest’s consent reference is blocked by the tenant: no data.',
    429: RATE,
  },
  ListCrmPurges: { 200: { description: "A page of the partner's purges not yet acknowledged.", body: purges, headers: LINK }, 429: RATE },
  AcknowledgeCrmPurge: {
    201: { description: 'The acknowledgement is recorded (`PurgeAcknowledged`).', body: acknowledged },
    200: { description: 'The purge was acknowledged before: the recorded acknowledgement.', body: acknowledged },
    400: 'The body is not `{"purgeId"}` naming the path’s purge, or the signature’s timestamp is more than 5 minutes from now (`SignatureStale`).',
    401: 'No `Mydata-Signature` header (`SignatureMissing`).',
    403: "The signature matches none of the partner's subscription secrets (`SignatureInvalid`), or the caller may not use the route.",
    404: 'No purge of this partner with this id.',
    409: 'The signature was used before (`SignatureReplayed`), or the purge changed concurrently.',
    429: RATE,
  },
};
