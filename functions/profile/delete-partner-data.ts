import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { deletePartnerData } from '../../shared/profile/partner-data.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { guestOf, nameParam } from './http-common.js';

/**
 * DELETE /profile/v1/partnerdata/{name} — 204; its active share is withdrawn with it, copies friends imported stay.
 * `If-Match` with a stale ETag: 412, nothing deleted.
 */
const params = z.object({ name: nameParam });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, 'profile_data_write');
  await deletePartnerData(requireApp(guestOf(req)), req.params.name, req.headers['if-match']);
  return { statusCode: 204 };
});
