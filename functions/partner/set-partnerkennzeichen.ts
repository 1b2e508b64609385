import { setPartnerkennzeichen } from '../../shared/partner/kennzeichen-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { kennzeichenBody, partnerParams } from './schemas.js';

/**
 * PUT /v2/partner/{partnerId}/partnerkennzeichen (beside the spec's GET) — replaces the partner's codes
 * with the body (the spec's `Partnerkennzeichen`; `{}` removes all). Needs the Einstellungsrecht on the
 * partner; answers the codes as GET will.
 */
export const handler = partnerHandler({ params: partnerParams, body: kennzeichenBody }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.schreiben);
  return { statusCode: 200, body: await setPartnerkennzeichen(caller, req.params.partnerId, req.body) };
});
