import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { getZugang } from '../../shared/partner/zugang-service.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerParams } from './schemas.js';

/** GET /v2/partner/{partnerId}/zugang — `KEIN_ZUGANG` when none was created. */
export const handler = partnerHandler({ params: partnerParams }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.lesen);
  return { statusCode: 200, body: await getZugang(caller, req.params.partnerId) };
});
