import * as z from 'zod/mini';
import { DATA_MAX_LIMIT, guestData } from '../../shared/crm/pull.js';
import { httpHandler } from '../../shared/platform/http.js';
import { entityTypeParam, guestParam, nextLink, pageQuery, partnerRead } from './http-common.js';

/** GET /profile/v1/crm/guests/{guest}/data/{entityType} (?limit=&next=) — the objects of one type the partner may see, decrypted, decided now. */
const params = z.object({ guest: guestParam, entityType: entityTypeParam });
const query = z.object(pageQuery(DATA_MAX_LIMIT, 50));

export const handler = httpHandler({ params, query }, async (req) => {
  const page = await partnerRead(req, (caller, admitted) => guestData(caller, req.params.guest, req.params.entityType, req.query.limit, req.query.next, admitted));
  return { statusCode: 200, body: page, headers: nextLink(req, page.next) };
});
