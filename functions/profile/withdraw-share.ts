import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { withdrawShare } from '../../shared/profile/shares.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_SHARE } from '../../shared/platform/scopes.js';
import { guestOf, nameParam } from './http-common.js';

/** DELETE /profile/v1/partnerdata/{name}/share — 204; copies already imported stay but cannot be refreshed. */
const params = z.object({ name: nameParam });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, DATA_SHARE);
  await withdrawShare(requireApp(guestOf(req)), req.params.name);
  return { statusCode: 204 };
});
