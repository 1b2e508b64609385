import { getRechte } from '../../shared/partner/rechte-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerParams } from './schemas.js';

/** GET /v2/partner/{partnerId}/rechte */
export const handler = partnerHandler({ params: partnerParams }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.rechteLesen);
  return { statusCode: 200, body: await getRechte(caller, req.params.partnerId) };
});
