import * as z from 'zod/mini';
import { listPendingPurges, PURGES_MAX_LIMIT } from '../../shared/crm/purges.js';
import { httpHandler } from '../../shared/platform/http.js';
import { nextLink, pageQuery, partnerRead } from './http-common.js';

/** GET /profile/v1/crm/purges (?limit=&next=) — the partner's purges not yet acknowledged. */
const query = z.object(pageQuery(PURGES_MAX_LIMIT, 100));

export const handler = httpHandler({ query }, async (req) => {
  const page = await partnerRead(req, (caller) => listPendingPurges(caller, req.query.limit, req.query.next));
  return { statusCode: 200, body: page, headers: nextLink(req, page.next) };
});
