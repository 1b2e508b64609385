import * as z from 'zod/mini';
import { setBlocked } from '../../shared/consent/blocking.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, refParam, tenantParam } from './http-common.js';

/** PUT /profile-consent/v1/{tenant}/consentReferences/{ref}/block `{"blocked": bool}` — tenant administrator. */
const params = z.object({ tenant: tenantParam, ref: refParam });
const body = z.object({ blocked: z.boolean() });

export const handler = httpHandler({ params, body }, async (req) => {
  const view = await setBlocked(req.params.tenant, req.params.ref, req.body.blocked, callerOf(req));
  return { statusCode: 200, headers: leaderHeaders(view.leadingConsentReference), body: view };
});
