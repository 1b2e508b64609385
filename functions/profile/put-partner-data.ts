import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { PARTNER_DATA_MAX_BYTES, putPartnerData } from '../../shared/profile/partner-data.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { guestOf, nameParam, objectLink } from './http-common.js';

/**
 * PUT /profile/v1/partnerdata/{name} — creates (201) or replaces (200) the app's JSON object (≤ 64 KiB).
 * `If-Match` (the ETag of a read) makes a stale write a 412; `If-Match: *` needs the object to exist.
 */
const params = z.object({ name: nameParam });
const body = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);

export const handler = httpHandler({ params, body, maxBodyBytes: PARTNER_DATA_MAX_BYTES + 1024 }, async (req) => {
  requireScope(req.principal, 'profile_data_write');
  const { item, created } = await putPartnerData(requireApp(guestOf(req)), req.params.name, req.body, req.headers['if-match']);
  return {
    statusCode: created ? 201 : 200,
    headers: { ETag: `"${item.version}"` },
    body: { id: item.id, name: item.name, version: item.version, updatedAt: item.updatedAt, objectApiUrl: objectLink(req.origin, item.name) },
  };
});
