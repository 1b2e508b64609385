import * as z from 'zod/mini';
import { mergeReferences } from '../../shared/consent/aliases.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, refParam, tenantParam } from './http-common.js';

/** POST /profile-consent/v1/{tenant}/consentReferences/{ref}/aliases `{"aliases": [ref, …]}` — tenant administrator. */
const params = z.object({ tenant: tenantParam, ref: refParam });
const body = z.object({ aliases: z.array(refParam).check(z.minLength(1), z.maxLength(20)) });

export const handler = httpHandler({ params, body }, async (req) => {
  const view = await mergeReferences(req.params.tenant, req.params.ref, req.body.aliases, callerOf(req));
  return { statusCode: 200, headers: leaderHeaders(view.leadingConsentReference), body: view };
});
