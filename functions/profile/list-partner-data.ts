import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { listPartnerData } from '../../shared/profile/partner-data.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_READ } from '../../shared/platform/scopes.js';
import { PARTNER_DATA } from '../../shared/profile/keys.js';
import { entityTypeParam, guestOf, objectLink } from './http-common.js';

/** GET /profile/v1/partnerdata and GET /profile/v1/data/{entityType} (?prefix=&limit=&next=) — the objects whose name starts with `prefix`. */
const params = z.object({ entityType: z.optional(entityTypeParam) });
const query = z.object({
  prefix: z._default(z.string().check(z.regex(/^[A-Za-z0-9._-]{0,128}$/, 'not a name prefix')), ''),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  next: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,800}$/, 'not a page cursor'))),
});

export const handler = httpHandler({ params, query }, async (req) => {
  requireScope(req.principal, DATA_READ);
  const entityType = req.params.entityType ?? PARTNER_DATA;
  const page = await listPartnerData(requireApp(guestOf(req)), req.query.prefix, req.query.limit, req.query.next, entityType);
  const items = page.items.map((item) => ({ ...item, objectApiUrl: objectLink(req, item.name, entityType) }));
  return { statusCode: 200, body: { items, next: page.next } };
});
