import * as z from 'zod/mini';
import { withdrawMyShare } from '../../shared/profile/shares.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_SHARE } from '../../shared/platform/scopes.js';
import { guestOf, sharingIdParam } from './http-common.js';

/**
 * DELETE /profile/v1/me/shares/{sharingIdentifier} — the guest withdraws a share they made, whichever app made it
 * (204; the same withdrawal as DELETE /partnerdata/{name}/share). Not theirs, withdrawn or unknown: 404.
 */
const params = z.object({ sharingIdentifier: sharingIdParam });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, DATA_SHARE);
  await withdrawMyShare(guestOf(req), req.params.sharingIdentifier);
  return { statusCode: 204 };
});
