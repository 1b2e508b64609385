import * as z from 'zod/mini';
import { deleteMyCopies } from '../../shared/profile/guest-writes.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_WRITE } from '../../shared/platform/scopes.js';
import { guestOf, sharingIdParam } from './http-common.js';

/**
 * DELETE /profile/v1/me/imports/{sharingIdentifier} — the guest deletes the copies they imported of that share,
 * whichever app imported them (204; the same deletion as DELETE /partnerdata/{copyName} through that app). None: 404.
 */
const params = z.object({ sharingIdentifier: sharingIdParam });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, DATA_WRITE);
  await deleteMyCopies(guestOf(req), req.params.sharingIdentifier);
  return { statusCode: 204 };
});
