import { removeHandelsbeziehung } from '../../shared/partner/grants-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { pairParams } from './schemas.js';

/**
 * DELETE /v2/partner/{partnerId}/handelsbeziehungen/{target} (beside the spec) — ends the trading
 * relation of the two (both directions; 404 when there is none). Needs the Einstellungsrecht on both.
 */
export const handler = partnerHandler({ params: pairParams }, async (req, caller) => {
  requireScope(req.principal, ...PARTNER_SCOPES.beziehungenSchreiben);
  await removeHandelsbeziehung(caller, req.params.partnerId, req.params.target);
  return { statusCode: 204 };
});
