import { getMe } from '../../shared/profile/me.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_READ } from '../../shared/platform/scopes.js';
import { guestOf } from './http-common.js';

/**
 * GET /profile/v1/me — the signed-in guest's own profile in the token's tenant. The first signed-in
 * call through a partner's app records the relation guest ↔ partner.
 */
export const handler = httpHandler({}, async (req) => {
  requireScope(req.principal, DATA_READ);
  return { statusCode: 200, body: await getMe(guestOf(req)) };
});
