import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { getPartnerData } from '../../shared/profile/partner-data.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { guestOf, nameParam } from './http-common.js';

/** GET /profile/v1/partnerdata/{name} — the app's object for the signed-in guest, as it was stored. */
const params = z.object({ name: nameParam });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, 'profile_data_read');
  const { item, data } = await getPartnerData(requireApp(guestOf(req)), req.params.name);
  return { statusCode: 200, headers: { ETag: `"${item.version}"`, 'Last-Modified': new Date(item.updatedAt).toUTCString() }, body: data };
});
