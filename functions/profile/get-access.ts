import { accessOverview } from '../../shared/profile/guest-view.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { guestOf } from './http-common.js';

/** GET /profile/v1/me/access — which partners can read which entity types, and why (relation, creator, share). */
export const handler = httpHandler({}, async (req) => {
  requireScope(req.principal, 'profile_data_read');
  return { statusCode: 200, body: await accessOverview(guestOf(req)) };
});
