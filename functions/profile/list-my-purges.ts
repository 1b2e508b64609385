import * as z from 'zod/mini';
import { listGuestPurges } from '../../shared/crm/purges.js';
import { cursorParam } from '../../shared/platform/cursor.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_READ } from '../../shared/platform/scopes.js';
import { guestOf } from './http-common.js';

/** GET /profile/v1/me/purges (?limit=&next=) — which partners were told to delete the guest's data, and which confirmed (platform pages only: the route policy answers an app token 403, decision 0127). */
const query = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 100),
  next: z.optional(cursorParam),
});

export const handler = httpHandler({ query }, async (req) => {
  requireScope(req.principal, DATA_READ);
  const page = await listGuestPurges(guestOf(req), req.query.limit, req.query.next);
  return { statusCode: 200, body: page };
});
