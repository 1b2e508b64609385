import { setRechte } from '../../shared/partner/rechte-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerParams, rechteBody } from './schemas.js';

/**
 * PATCH (spec) and POST (guide) /v2/partner/{partnerId}/rechte — only the named rights change, and
 * only to rights the caller holds itself (403 otherwise). Answers all rights.
 */
export const handler = partnerHandler({ params: partnerParams, body: rechteBody }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.rechteSchreiben);
  return { statusCode: 200, body: await setRechte(caller, req.params.partnerId, req.body, req.expectedVersion) };
});
