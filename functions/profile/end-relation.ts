import * as z from 'zod/mini';
import { endRelation } from '../../shared/profile/erasure.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_WRITE } from '../../shared/platform/scopes.js';
import { guestOf } from './http-common.js';

/** DELETE /profile/v1/me/relations/{partnerId} — the guest ends a partner's relation (204); shared types close at once. */
const params = z.object({ partnerId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a partner id')) });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, DATA_WRITE);
  await endRelation(guestOf(req), req.params.partnerId);
  return { statusCode: 204 };
});
