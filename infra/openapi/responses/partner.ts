import * as z from 'zod/mini';
import { europace } from '../common.js';
import type { ResponsesByRoute, ResponseSpec } from '../types.js';

/**
 * What the partner routes answer beyond the Europace spec. For the spec's own operations the generator keeps
 * the spec's responses (the contract) and adds the statuses declared here that the spec leaves out; the routes
 * beyond the spec (pfad, parent, einstellungsrechtFuer, handelsbeziehungen, partnerkennzeichen/lizenzen writes,
 * Zugang activation) are described here alone.
 */
const NOT_FOUND = 'The partner (or the target) does not exist or is not visible to the caller.';
const CONFLICT: ResponseSpec = { description: 'The change conflicts with the current state, or a concurrent change; retry.', headers: { 'Retry-After': 'Seconds to wait before retrying.' } };
const ETAG = { ETag: 'The version of the partner, for `If-Match`.' };

const reads = { 404: NOT_FOUND };
const writes = { 404: NOT_FOUND, 409: CONFLICT };

const einstellungsrecht = z.object({ partnerId: z.string(), target: z.string(), einstellungsrecht: z.literal(true) });
const handelsbeziehung = z.object({ partnerId: z.string(), target: z.string(), handelsbeziehung: z.literal(true) });
/** Root first, the partner last; ancestors the caller may not see show only their id. */
const pfad = z.object({ content: z.array(z.union([europace('Plakette'), z.object({ partnerId: z.string() })])) });

export const partnerResponses: ResponsesByRoute = {
  SearchPartners: {},
  GetPartner: { 200: { description: 'The partner.', body: { europace: 'Partner' }, headers: ETAG }, ...reads },
  PatchPartner: {
    200: { description: 'The partner after the change.', body: { europace: 'Partner' }, headers: ETAG },
    ...writes,
    412: 'If-Match names another version of the partner.',
  },
  GetKontaktdaten: reads,
  GetRechte: reads,
  // Rights are written through the partner, with its If-Match.
  PatchRechte: { ...writes, 412: 'If-Match names another version of the partner.' },
  PostRechte: { ...writes, 412: 'If-Match names another version of the partner.' },
  CreatePartner: {
    205: { description: 'The body named an existing partner (`partnerId`): it was updated.', body: { europace: 'Partner' }, headers: { ...ETAG, Location: 'The partner.' } },
    ...writes,
  },
  ListUntergeordnete: reads,
  GetPartnerkennzeichen: reads,
  GetAdministrierbare: reads,
  GetUebernehmbare: reads,
  GetLizenzen: reads,
  GetUebernahmeRecht: reads,
  SetUebernahmeRecht: writes,
  GetZugang: reads,
  CreateZugang: { ...writes, 406: 'The Zugang cannot be created in the partner’s current state.' },
  PatchZugang: { ...writes, 406: 'The Zugang cannot be changed in its current state.' },
  GetPartnerPfad: { 200: { description: 'The path from the root to the partner.', body: pfad }, ...reads },
  MovePartner: { 200: { description: 'The partner under its new parent.', body: { europace: 'Partner' }, headers: ETAG }, ...writes },
  SetEinstellungsrecht: {
    200: { description: 'The partner held the Einstellungsrecht already.', body: einstellungsrecht },
    201: { description: 'The Einstellungsrecht was granted.', body: einstellungsrecht },
    ...writes,
  },
  RevokeEinstellungsrecht: { 204: { description: 'The Einstellungsrecht is revoked.' }, ...writes },
  ListHandelsbeziehungen: { 200: { description: 'The partners it trades with, paged (next/prev).', body: { europace: 'ContentPartnerIds' } }, ...reads },
  AddHandelsbeziehung: {
    200: { description: 'The trading relation existed already.', body: handelsbeziehung },
    201: { description: 'The trading relation was added.', body: handelsbeziehung },
    ...writes,
  },
  RemoveHandelsbeziehung: { 204: { description: 'The trading relation is removed.' }, ...writes },
  SetPartnerkennzeichen: { 200: { description: 'The Partnerkennzeichen after the change.', body: { europace: 'Partnerkennzeichen' } }, ...writes },
  ActivateZugang: { 200: { description: 'The Zugang is registered.', body: { europace: 'Zugang' } }, ...writes, 406: 'The Zugang is not awaiting activation.' },
  SetLizenz: { 200: { description: 'The licences after the change.', body: { europace: 'Lizenzen' } }, ...writes },
};
