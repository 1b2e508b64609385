import { eraseProfile } from '../../shared/profile/erasure.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_WRITE } from '../../shared/platform/scopes.js';
import { guestOf } from './http-common.js';

/**
 * DELETE /profile/v1/me — erasure: every key of the guest destroyed (crypto-shredding), items deleted,
 * shares withdrawn, `ProfileErased` emitted; 204, and 404 for a second call.
 */
export const handler = httpHandler({}, async (req) => {
  requireScope(req.principal, DATA_WRITE);
  await eraseProfile(guestOf(req));
  return { statusCode: 204 };
});
