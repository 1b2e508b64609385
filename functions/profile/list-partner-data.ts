import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { listPartnerData } from '../../shared/profile/partner-data.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { guestOf, objectLink } from './http-common.js';

/** GET /profile/v1/partnerdata?prefix=&limit=&next= — the app's objects whose name starts with `prefix`. */
const query = z.object({
  prefix: z._default(z.string().check(z.regex(/^[A-Za-z0-9._-]{0,128}$/, 'not a name prefix')), ''),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  next: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,800}$/, 'not a page cursor'))),
});

export const handler = httpHandler({ query }, async (req) => {
  requireScope(req.principal, 'profile_data_read');
  const page = await listPartnerData(requireApp(guestOf(req)), req.query.prefix, req.query.limit, req.query.next);
  const items = page.items.map((item) => ({ ...item, objectApiUrl: objectLink(req.origin, item.name) }));
  return { statusCode: 200, body: { items, next: page.next } };
});
