import * as z from 'zod/mini';
import { changeConsents } from '../../shared/consent/grants.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, classParam, leaderHeaders, refParam, tenantParam } from './http-common.js';

/**
 * PUT /profile-consent/v1/{tenant}/consents/{ref}/classes/{consentClass} `{"granted": bool}` — grants
 * (new key material) or revokes (keys destroyed) every consent of the class; answers the class's consents.
 */
const params = z.object({ tenant: tenantParam, ref: refParam, consentClass: classParam });
const body = z.object({ granted: z.boolean() });

export const handler = httpHandler({ params, body }, async (req) => {
  const { tenant, ref, consentClass } = req.params;
  const result = await changeConsents(tenant, ref, { consentClass }, req.body.granted, callerOf(req));
  return { statusCode: 200, headers: leaderHeaders(result.leadingConsentReference), body: result.consents };
});
