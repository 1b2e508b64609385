import * as z from 'zod/mini';
import { changeConsents } from '../../shared/consent/grants.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, refParam, schemaParam, tenantParam } from './http-common.js';

/**
 * PUT /profile-consent/v1/{tenant}/consents/{ref}/schemas/{schema} `{"granted": bool}` — grants (new key
 * material, new grant blob) or revokes (grant blob cleared, key destroyed) one consent.
 */
const params = z.object({ tenant: tenantParam, ref: refParam, schema: schemaParam });
const body = z.object({ granted: z.boolean() });

export const handler = httpHandler({ params, body }, async (req) => {
  const { tenant, ref, schema } = req.params;
  const result = await changeConsents(tenant, ref, { schema }, req.body.granted, callerOf(req));
  return { statusCode: 200, headers: leaderHeaders(result.leadingConsentReference), body: result.consents[0] };
});
