import * as z from 'zod/mini';
import { MAX_USER_ID_LENGTH } from '../../shared/consent/keys.js';
import { referenceOfUser } from '../../shared/consent/references.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, referenceLink, tenantParam } from './http-common.js';

/** GET /profile-consent/v1/{tenant}/users/{user} — the user's consent reference (tenant, or the user). */
const params = z.object({ tenant: tenantParam, user: z.string().check(z.minLength(1), z.maxLength(MAX_USER_ID_LENGTH)) });

export const handler = httpHandler({ params }, async (req) => {
  const view = await referenceOfUser(req.params.tenant, req.params.user, callerOf(req));
  return {
    statusCode: 200,
    headers: leaderHeaders(view.leadingConsentReference),
    body: { ...view, link: referenceLink(req, req.params.tenant, view.id) },
  };
});
