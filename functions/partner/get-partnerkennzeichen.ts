import { getPartner } from '../../shared/partner/partner-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerParams } from './schemas.js';

/** GET /v2/partner/{partnerId}/partnerkennzeichen — own values only, never inherited ones (as upstream). */
export const handler = partnerHandler({ params: partnerParams }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.lesen);
  const view = await getPartner(caller, req.params.partnerId);
  return { statusCode: 200, body: view.record.kennzeichen };
});
