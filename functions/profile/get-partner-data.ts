import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { getPartnerData } from '../../shared/profile/partner-data.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_READ } from '../../shared/platform/scopes.js';
import { PARTNER_DATA } from '../../shared/profile/keys.js';
import { entityTypeParam, guestOf, nameParam } from './http-common.js';

/** GET /profile/v1/partnerdata/{name} and GET /profile/v1/data/{entityType}/{name} — the object, as it was stored. */
const params = z.object({ entityType: z.optional(entityTypeParam), name: nameParam });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, DATA_READ);
  const { item, data } = await getPartnerData(requireApp(guestOf(req)), req.params.name, req.params.entityType ?? PARTNER_DATA);
  return { statusCode: 200, version: item.version, headers: { 'Last-Modified': new Date(item.updatedAt).toUTCString() }, body: data };
});
