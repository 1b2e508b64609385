import * as z from 'zod/mini';
import { EXPORT_DEFAULT_LIMIT, EXPORT_MAX_LIMIT, exportProfile } from '../../shared/profile/guest-view.js';
import { cursorParam } from '../../shared/platform/cursor.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_READ } from '../../shared/platform/scopes.js';
import { guestOf, profileLink } from './http-common.js';

/**
 * GET /profile/v1/me/export?limit=&next= — everything stored about the guest (GDPR access and portability),
 * in pages of at most `limit` items and about 1 MiB (Lambda answers at most 6 MB): profile and items
 * (decrypted where consent allows, else marked unreadable), consents and their verified history,
 * relations, shares given and imported. `next` (body, and a `Link: rel="next"` header) continues.
 * The guest's own pages only.
 */
const query = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(EXPORT_MAX_LIMIT)), EXPORT_DEFAULT_LIMIT),
  next: z.optional(cursorParam),
});

export const handler = httpHandler({ query }, async (req) => {
  requireScope(req.principal, DATA_READ);
  const document = await exportProfile(guestOf(req), { limit: req.query.limit, cursor: req.query.next });
  const headers: Record<string, string> = {
    'Content-Disposition': `attachment; filename="mydata-export-${document.tenant}-${document.page}.json"`,
  };
  if (document.next) headers.Link = `<${profileLink(req, `/me/export?limit=${req.query.limit}&next=${document.next}`)}>; rel="next"`;
  return { statusCode: 200, headers, body: document };
});
