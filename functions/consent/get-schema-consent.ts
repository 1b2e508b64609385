import * as z from 'zod/mini';
import { readConsents } from '../../shared/consent/consents.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, refParam, schemaParam, tenantParam } from './http-common.js';

/** GET /profile-consent/v1/{tenant}/consents/{ref}/schemas/{schema} — one consent (schema URL-encoded). */
const params = z.object({ tenant: tenantParam, ref: refParam, schema: schemaParam });

export const handler = httpHandler({ params }, async (req) => {
  const { tenant, ref, schema } = req.params;
  const listing = await readConsents(tenant, ref, callerOf(req), { schema });
  return { statusCode: 200, headers: leaderHeaders(listing.leadingConsentReference), body: listing.consents[0] };
});
