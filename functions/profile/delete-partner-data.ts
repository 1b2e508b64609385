import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { deletePartnerData } from '../../shared/profile/partner-data.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_WRITE } from '../../shared/platform/scopes.js';
import { PARTNER_DATA } from '../../shared/profile/keys.js';
import { entityTypeParam, guestOf, nameParam } from './http-common.js';

/**
 * DELETE /profile/v1/partnerdata/{name} and DELETE /profile/v1/data/{entityType}/{name} — 204; a partner-data
 * object's active share is withdrawn with it, copies friends imported stay. `If-Match` with a stale ETag: 412.
 */
const params = z.object({ entityType: z.optional(entityTypeParam), name: nameParam });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, DATA_WRITE);
  await deletePartnerData(requireApp(guestOf(req)), req.params.name, req.expectedVersion, req.params.entityType ?? PARTNER_DATA);
  return { statusCode: 204 };
});
