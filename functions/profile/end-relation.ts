import * as z from 'zod/mini';
import { endRelation } from '../../shared/profile/erasure.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_WRITE } from '../../shared/platform/scopes.js';
import { guestOf } from './http-common.js';
import { partnerIdParam } from '../../shared/platform/partner-id.js';

/** DELETE /profile/v1/me/relations/{partnerId} — the guest ends a partner's relation (204); shared types close at once. */
const params = z.object({ partnerId: partnerIdParam });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, DATA_WRITE);
  await endRelation(guestOf(req), req.params.partnerId);
  return { statusCode: 204 };
});
