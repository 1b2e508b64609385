import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { PARTNER_DATA_MAX_BYTES, putPartnerData } from '../../shared/profile/partner-data.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_WRITE } from '../../shared/platform/scopes.js';
import { PARTNER_DATA } from '../../shared/profile/keys.js';
import { entityTypeParam, guestOf, nameParam, objectLink } from './http-common.js';

/**
 * PUT /profile/v1/partnerdata/{name} and PUT /profile/v1/data/{entityType}/{name} (one handler: partner data is
 * the entity type `PartnerData`) — creates (201) or replaces (200) the JSON object (≤ 64 KiB).
 * `If-Match` (the ETag of a read) makes a stale write a 412; `If-Match: *` needs the object to exist.
 */
const params = z.object({ entityType: z.optional(entityTypeParam), name: nameParam });
const body = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);

export const handler = httpHandler({ params, body, maxBodyBytes: PARTNER_DATA_MAX_BYTES + 1024 }, async (req) => {
  requireScope(req.principal, DATA_WRITE);
  const entityType = req.params.entityType ?? PARTNER_DATA;
  const { item, created } = await putPartnerData(requireApp(guestOf(req)), req.params.name, req.body, req.expectedVersion, entityType);
  return {
    statusCode: created ? 201 : 200,
    version: item.version,
    body: { id: item.id, name: item.name, version: item.version, updatedAt: item.updatedAt, objectApiUrl: objectLink(req, item.name, entityType) },
  };
});
