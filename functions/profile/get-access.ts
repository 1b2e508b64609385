import { accessOverview } from '../../shared/profile/guest-view.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_READ } from '../../shared/platform/scopes.js';
import { guestOf } from './http-common.js';

/** GET /profile/v1/me/access — which partners can read which entity types, and why (relation, creator, share). */
export const handler = httpHandler({}, async (req) => {
  requireScope(req.principal, DATA_READ);
  return { statusCode: 200, body: await accessOverview(guestOf(req)) };
});
