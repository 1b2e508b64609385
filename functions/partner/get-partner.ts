import { getPartner } from '../../shared/partner/partner-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler, partnerResult } from './http.js';
import { partnerParams } from './schemas.js';

/** GET /v2/partner/{partnerId} — visible below the caller or with the Einstellungsrecht; ETag for PATCH. */
export const handler = partnerHandler({ params: partnerParams }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.lesen);
  return partnerResult(await getPartner(caller, req.params.partnerId));
});
