import * as z from 'zod/mini';
import { historyEntryShape } from '../../../shared/consent/history.js';
import type { ResponseSpec, ResponsesByRoute } from '../types.js';

/**
 * What the consent routes answer (shared/consent/views.ts, history-view.ts, metamodel.ts, admin/consent-classes.ts).
 * Errors: shared/consent/errors.ts.
 */
const LEADER = { 'Leading-Consent-Reference': 'The leading consent reference (the reference itself unless merged into another).' };

export const consentView = z.object({
  consentClass: z.string(),
  purpose: z.literal('READ+WRITE'),
  schema: z.string(),
  grantBlob: z.nullable(z.string()),
  granted: z.boolean(),
  schemaTitle: z.string(),
  schemaDescription: z.string(),
  leadingConsentReference: z.string(),
});

export const referenceView = z.object({
  id: z.string(),
  status: z.enum(['pending', 'active']),
  blocked: z.boolean(),
  leadingConsentReference: z.string(),
  aliases: z.array(z.string()),
  createdAt: z.string(),
});
const linkedReference = z.extend(referenceView, { link: z.string() });

const historyEntry = z.object(historyEntryShape);
export const verification = z.object({
  valid: z.boolean(),
  entries: z.number(),
  brokenAt: z.optional(z.number()),
  reason: z.optional(z.string()),
});
export const historyView = z.object({
  leadingConsentReference: z.string(),
  verification,
  entries: z.array(historyEntry),
  chainLength: z.number(),
  next: z.optional(z.string()),
});

export const schemaView = z.object({
  schema: z.string(),
  consentClass: z.string(),
  owner: z.enum(['user', 'tenant']),
  title: z.string(),
  description: z.string(),
  grantedByDefault: z.boolean(),
});

export const consentClass = z.object({ class: z.string(), title: z.string(), description: z.string(), editable: z.boolean(), enabled: z.boolean() });

const NOT_FOUND = 'The tenant, the reference (or its user), the schema or the class is unknown (or not visible to the caller).';
const PENDING = 'The reference is still being created (`Retry-After`), changes concurrently, or the request conflicts with its state.';
const BLOCKED = 'The reference is blocked by the tenant.';
const retry = (description: string): ResponseSpec => ({ description, headers: { 'Retry-After': 'Seconds to wait before retrying.' } });
const conflict = retry(PENDING);

const created = z.object({ id: z.string(), link: z.string(), leadingConsentReference: z.string(), consentReferenceToken: z.optional(z.string()) });
const withLocation = { Location: 'The link of the reference.', ...LEADER };

const reads = (body: z.ZodMiniType, description: string) => ({
  200: { description, body, headers: LEADER },
  404: NOT_FOUND,
  409: conflict,
  423: BLOCKED,
});

export const consentResponses: ResponsesByRoute = {
  GetUserConsentReference: reads(linkedReference, "The user's consent reference."),
  CreateConsentReference: {
    200: { description: "The signed-in user's existing reference (no token).", body: created, headers: withLocation },
    201: { description: 'Accepted: the reference is created asynchronously; the token proves an anonymous guest owns it.', body: created, headers: withLocation },
    404: NOT_FOUND,
    409: retry('The Idempotency-Key was used for another request, a class is disabled, or a concurrent change.'),
  },
  CreateTenantConsentReference: {
    200: { description: 'The TENANT reference exists already.', body: created, headers: withLocation },
    201: { description: 'The TENANT reference was created.', body: created, headers: withLocation },
    404: NOT_FOUND,
    409: conflict,
  },
  GetConsentReference: reads(linkedReference, 'Status (pending|active), leader and aliases of the reference.'),
  BlockConsentReference: { 200: { description: 'The reference after blocking or unblocking.', body: referenceView, headers: LEADER }, 404: NOT_FOUND, 409: conflict },
  MergeConsentReferences: {
    200: { description: 'The leading reference after the merge.', body: referenceView, headers: LEADER },
    404: NOT_FOUND,
    409: retry('An alias is merged already, or a concurrent change.'),
    423: BLOCKED,
  },
  GetConsents: reads(z.array(consentView), 'Every consent of the reference.'),
  DeleteConsentReference: { 204: { description: 'The reference, its consents and keys are deleted.', headers: LEADER }, 404: NOT_FOUND, 409: conflict, 423: BLOCKED },
  GetConsentHistory: {
    ...reads(historyView, 'A page of the verified, hash-chained history.'),
    200: { description: 'A page of the verified, hash-chained history.', body: historyView, headers: { ...LEADER, Link: 'The next page (`rel="next"`), when there is one.' } },
  },
  GetClassConsents: reads(z.array(consentView), 'The consents of one consent class.'),
  PutClassConsents: {
    ...reads(z.array(consentView), 'The consents of the class after the change.'),
    410: 'The key of the data was destroyed (`details.reason`).',
  },
  GetSchemaConsent: reads(consentView, 'The consent of one schema.'),
  PutSchemaConsent: { ...reads(consentView, 'The consent of the schema after the change.'), 410: 'The key of the data was destroyed (`details.reason`).' },
  ListMetamodelSchemas: { 200: { description: "The tenant's active metamodel.", body: z.array(schemaView) }, 404: NOT_FOUND },
  GetMetamodelSchema: { 200: { description: 'One active schema.', body: schemaView }, 404: NOT_FOUND },
  PutMetamodelSchema: {
    200: { description: 'The schema was changed.', body: schemaView },
    201: { description: 'The schema was added (or re-added).', body: schemaView },
    404: NOT_FOUND,
    409: conflict,
  },
  DeleteMetamodelSchema: { 204: { description: 'The schema is removed from the metamodel (its consents stay stored, hidden).' }, 404: NOT_FOUND, 409: conflict },
  ListConsentClasses: {
    200: { description: 'A page of the consent class dictionary.', body: z.array(consentClass), headers: { 'X-Total-Count': 'Number of classes in the dictionary.' } },
  },
};
