import * as z from 'zod/mini';
import { readConsents } from '../../shared/consent/consents.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, classParam, leaderHeaders, refParam, tenantParam } from './http-common.js';

/** GET /profile-consent/v1/{tenant}/consents/{ref}/classes/{consentClass} — the consents of one class. */
const params = z.object({ tenant: tenantParam, ref: refParam, consentClass: classParam });

export const handler = httpHandler({ params }, async (req) => {
  const { tenant, ref, consentClass } = req.params;
  const listing = await readConsents(tenant, ref, callerOf(req), { consentClass });
  return { statusCode: 200, headers: leaderHeaders(listing.leadingConsentReference), body: listing.consents };
});
