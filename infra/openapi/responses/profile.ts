import * as z from 'zod/mini';
import type { ResponseSpec, ResponsesByRoute } from '../types.js';
import { verification } from './consent.js';

/** What the profile routes answer (functions/profile, shared/profile). Errors: shared/profile/errors.ts. */
const me = z.object({
  id: z.string(),
  tenant: z.string(),
  consentReference: z.string(),
  profile: z.record(z.string(), z.unknown()),
  updatedAt: z.optional(z.string()),
});

/** The guest's object as stored: any JSON object or array (decision 0304). */
const data = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);
const written = z.object({ id: z.string(), name: z.string(), version: z.number(), updatedAt: z.string(), objectApiUrl: z.string() });
const listed = z.object({
  name: z.string(),
  id: z.string(),
  updatedAt: z.string(),
  size: z.number(),
  data: z.optional(z.unknown()),
  unreadable: z.optional(z.string()),
  importedFrom: z.optional(z.string()),
  objectApiUrl: z.string(),
});
const page = z.object({ items: z.array(listed), next: z.optional(z.string()) });

const importView = z.object({ importer: z.string(), copyName: z.string(), firstImportedAt: z.string(), lastImportedAt: z.string() });
const shareCreated = z.object({
  sharingIdentifier: z.string(),
  importApiUrl: z.string(),
  shareObjectApiUrl: z.string(),
  expiresAt: z.optional(z.string()),
  maxImports: z.optional(z.number()),
});
/** `shareSummary` in shared/profile/shares.ts: one share as `/shares` and the export show it. */
const shareSummary = z.object({
  sharingIdentifier: z.string(),
  name: z.string(),
  partnerId: z.string(),
  clientId: z.string(),
  createdAt: z.string(),
  expiresAt: z.optional(z.string()),
  maxImports: z.optional(z.number()),
  importedBy: z.array(importView),
});
const shares = z.object({
  shares: z.array(z.extend(shareSummary, { expired: z.boolean(), importCount: z.number(), importApiUrl: z.string() })),
});
const imported = z.object({ id: z.string(), name: z.string(), objectApiUrl: z.string() });

const settings = z.object({
  tenant: z.string(),
  sharedEntityTypes: z.array(z.string()),
  defaults: z.boolean(),
  guestQuota: z.object({ maxItems: z.number(), maxBytes: z.number() }),
  updatedAt: z.optional(z.string()),
});

const access = z.object({
  partners: z.array(
    z.object({
      partnerId: z.string(),
      relation: z.nullable(z.object({ since: z.string(), endedAt: z.optional(z.string()), active: z.boolean() })),
      apps: z.array(z.string()),
      entityTypes: z.array(z.object({ entityType: z.string(), reasons: z.array(z.enum(['relation', 'creator', 'share'])) })),
    }),
  ),
});

const governance = z.object({
  entityType: z.string(),
  profile: z.string(),
  partnerId: z.optional(z.string()),
  clientId: z.optional(z.string()),
  role: z.enum(['related-partner', 'creator-app']),
});
const historyEntry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.object({ kind: z.string(), sub: z.string() }),
  action: z.string(),
  changes: z.array(z.object({ schema: z.string(), from: z.boolean(), to: z.boolean() })),
  references: z.optional(z.array(z.string())),
  prevHash: z.string(),
  hash: z.string(),
});
const exported = z.object({
  guest: z.string(),
  tenant: z.string(),
  exportedAt: z.string(),
  page: z.number(),
  // The first page only: consent summary, relations and shares.
  consent: z.optional(
    z.nullable(
      z.object({
        consentReference: z.string(),
        /** The reference whose consents govern the data: the guest's own, or after a merge its leader. */
        leadingConsentReference: z.string(),
        status: z.enum(['pending', 'active']),
        blocked: z.boolean(),
        aliases: z.array(z.string()),
        consents: z.array(z.object({ schema: z.string(), consentClass: z.string(), granted: z.boolean(), updatedAt: z.optional(z.string()) })),
        historyLength: z.number(),
      }),
    ),
  ),
  relations: z.optional(
    z.array(z.object({ partnerId: z.string(), clientId: z.optional(z.string()), apps: z.array(z.string()), since: z.string(), endedAt: z.optional(z.string()) })),
  ),
  sharesGiven: z.optional(z.array(shareSummary)),
  sharesImported: z.optional(z.array(z.object({ sharingIdentifier: z.string(), copyName: z.string(), clientId: z.optional(z.string()), importedAt: z.string() }))),
  items: z.array(
    z.object({
      entityType: z.string(),
      name: z.string(),
      id: z.string(),
      governance,
      createdAt: z.string(),
      updatedAt: z.string(),
      size: z.number(),
      // The item's link to the share it was imported from, as stored (the listing's `importedFrom` is the identifier alone).
      importedFrom: z.optional(z.object({ sharingIdentifier: z.string(), importedAt: z.string() })),
      data: z.optional(z.unknown()),
      unreadable: z.optional(z.string()),
    }),
  ),
  history: z.array(historyEntry),
  historyVerification: z.optional(verification),
  next: z.optional(z.string()),
});

const BLOCKED = 'The guest’s consent reference is blocked by the tenant.';
const NOT_FOUND = 'The guest has no consent reference or profile, or the object, share, relation or tenant is unknown.';
const CONCURRENT = 'The data changed concurrently; retry.';
const ETAG = { ETag: 'The version of the object, for `If-Match`.' };
const GONE = 'The key of the data was destroyed (consent revoked), or the share expired or its object can no longer be read.';
const withPrecondition: Record<number, string | ResponseSpec> = { 412: 'If-Match names another version than the stored one.' };

/** The answers of one entity type's data routes (partner data and every other user-owned type alike). */
const dataAnswers = {
  list: { 423: BLOCKED, 200: { description: 'A page of the objects of the entity type the app may read.', body: page }, 404: NOT_FOUND, 409: CONCURRENT },
  get: {
    423: BLOCKED,
    200: { description: 'The object as stored.', body: data, headers: { ...ETAG, 'Last-Modified': 'When the object was last written.' } },
    404: NOT_FOUND,
    409: CONCURRENT,
    410: GONE,
  },
  put: {
    423: BLOCKED,
    200: { description: 'The object was replaced.', body: written, headers: ETAG },
    201: { description: 'The object was created.', body: written, headers: ETAG },
    404: NOT_FOUND,
    409: CONCURRENT,
    410: GONE,
    ...withPrecondition,
  },
  delete: { 423: BLOCKED, 204: { description: 'The object is deleted.' }, 404: NOT_FOUND, 409: CONCURRENT, ...withPrecondition },
} satisfies Record<string, Record<number, string | ResponseSpec>>;

export const profileResponses: ResponsesByRoute = {
  GetMyProfile: {
    423: BLOCKED, 200: { description: "The guest's own profile.", body: me }, 404: NOT_FOUND, 409: CONCURRENT },
  PutMyProfile: {
    423: BLOCKED,
    200: { description: 'The profile after the change.', body: me },
    201: { description: 'The profile was stored for the first time.', body: me },
    404: NOT_FOUND,
    409: CONCURRENT,
    410: GONE,
  },
  ExportMyProfile: {
    423: BLOCKED,
    200: {
      description: 'One page of everything stored about the guest.',
      body: exported,
      headers: { 'Content-Disposition': 'attachment; filename of the page.', Link: 'The next page (`rel="next"`), when there is one.' },
    },
    404: NOT_FOUND,
  },
  GetMyAccess: {
    423: BLOCKED, 200: { description: 'Which partner can read which entity types, and why.', body: access }, 404: NOT_FOUND },
  EndMyRelation: {
    423: BLOCKED, 204: { description: 'The relation ended.' }, 404: NOT_FOUND, 409: CONCURRENT },
  WithdrawMyShare: {
    204: { description: 'The share is withdrawn; copies friends imported stay but can no longer be refreshed.' },
    404: 'The guest made no active share with this identifier (unknown, already withdrawn, or another guest’s).',
    409: CONCURRENT,
  },
  DeleteMyImportedCopies: {
    423: BLOCKED,
    204: { description: 'Every copy the guest held of that share is deleted (each as its app deletes it).' },
    404: 'The guest holds no copy of that share (never imported, already deleted, or another guest’s), or has no consent reference.',
    409: CONCURRENT,
  },
  ListMyPurges: {
    200: {
      description: "The guest's purges: which partner was told to delete what, and whether it confirmed (docs/crm.md).",
      body: z.object({
        purges: z.array(z.object({
          purgeId: z.string(), partnerId: z.string(), reason: z.string(), entityTypes: z.optional(z.array(z.string())),
          createdAt: z.string(), acknowledgedAt: z.optional(z.string()), acknowledged: z.boolean(),
        })),
        next: z.optional(z.string()),
      }),
    },
  },
  EraseMyProfile: {
    423: BLOCKED, 204: { description: 'Everything stored about the guest is erased (keys shredded).' }, 404: NOT_FOUND, 409: CONCURRENT },
  ListPartnerData: dataAnswers.list,
  GetPartnerData: dataAnswers.get,
  PutPartnerData: dataAnswers.put,
  DeletePartnerData: dataAnswers.delete,
  // `/data/{entityType}/…` is the same code path as `/partnerdata/…` (decision 0304): the same answers.
  ListData: dataAnswers.list,
  GetData: dataAnswers.get,
  PutData: dataAnswers.put,
  DeleteData: dataAnswers.delete,
  SharePartnerData: {
    423: BLOCKED,
    200: { description: 'The object was shared already: the same share.', body: shareCreated },
    201: { description: 'The object is shared.', body: shareCreated },
    404: NOT_FOUND,
    409: 'The data changed concurrently (retry), or the object was written before its reference was merged (write it again to share it).',
    410: GONE,
  },
  WithdrawPartnerDataShare: {
    423: BLOCKED, 204: { description: 'The share is withdrawn.' }, 404: NOT_FOUND, 409: CONCURRENT },
  ImportSharedPartnerData: {
    423: BLOCKED,
    200: { description: 'The copy was refreshed.', body: imported },
    201: { description: 'The shared object was copied into the guest’s partner data.', body: imported },
    404: NOT_FOUND,
    409: 'The share reached its maximum number of imports, no free copy name, or a concurrent change.',
    410: GONE,
    413: 'The copy would exceed the guest’s quota.',
  },
  ListShares: {
    423: BLOCKED, 200: { description: "The guest's shares and who imported them (pseudonymously).", body: shares }, 404: NOT_FOUND },
  GetProfileSettings: { 200: { description: "The tenant's profile settings (or the defaults).", body: settings }, 404: NOT_FOUND },
  PutProfileSettings: { 200: { description: 'The settings after the change.', body: settings }, 404: NOT_FOUND, 409: CONCURRENT },
};
