import * as z from 'zod/mini';
import { readConsents } from '../../shared/consent/consents.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, refParam, tenantParam } from './http-common.js';

/** GET /profile-consent/v1/{tenant}/consents/{ref} — every consent of the reference, as the seed lists them. */
const params = z.object({ tenant: tenantParam, ref: refParam });

export const handler = httpHandler({ params }, async (req) => {
  const listing = await readConsents(req.params.tenant, req.params.ref, callerOf(req));
  return { statusCode: 200, headers: leaderHeaders(listing.leadingConsentReference), body: listing.consents };
});
