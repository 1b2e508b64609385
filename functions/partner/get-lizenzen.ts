import { getPartner } from '../../shared/partner/partner-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerParams } from './schemas.js';

/** GET /v2/partner/{partnerId}/lizenzen — every known licence, active or not (an empty map when none). */
export const handler = partnerHandler({ params: partnerParams }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.rechteLesen);
  const view = await getPartner(caller, req.params.partnerId);
  return { statusCode: 200, body: view.record.lizenzen };
});
