import { patchZugang } from '../../shared/partner/zugang-service.js';
import { partnerHandler } from './http.js';
import { partnerParams, sendEmailQuery, zugangPatchBody } from './schemas.js';

/**
 * PATCH /v2/partner/{partnerId}/zugang — only identityProviderBenutzername changes; benutzername is
 * fixed (400 when a different one is sent). The spec asks for no scope here: any valid partner token
 * with the Einstellungsrecht on the partner.
 */
export const handler = partnerHandler({ params: partnerParams, query: sendEmailQuery, body: zugangPatchBody }, async (req, caller) => {
  return { statusCode: 200, body: await patchZugang(caller, req.params.partnerId, req.body) };
});
