import * as z from 'zod/mini';
import { GUESTS_MAX_LIMIT, listGuests } from '../../shared/crm/pull.js';
import { httpHandler } from '../../shared/platform/http.js';
import { nextLink, pageQuery, partnerRead } from './http-common.js';

/** GET /profile/v1/crm/guests (?limit=&next=) — the full sync: every guest related to the calling partner, with the relation's state. */
const query = z.object(pageQuery(GUESTS_MAX_LIMIT, 100));

export const handler = httpHandler({ query }, async (req) => {
  const page = await partnerRead(req, (caller) => listGuests(caller, req.query.limit, req.query.next));
  return { statusCode: 200, body: page, headers: nextLink(req, page.next) };
});
