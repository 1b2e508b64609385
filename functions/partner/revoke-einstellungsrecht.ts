import { revokeEinstellungsrecht } from '../../shared/partner/grants-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { pairParams } from './schemas.js';

/**
 * DELETE /v2/partner/{partnerId}/einstellungsrechtFuer/{target} (beside the spec) — partnerId loses its
 * explicit Einstellungsrecht on target (404 when it holds none). The caller needs the Einstellungsrecht
 * on both; it cannot take away its own (403) nor the one every partner holds on itself (400).
 */
export const handler = partnerHandler({ params: pairParams }, async (req, caller) => {
  requireScope(req.principal, ...PARTNER_SCOPES.beziehungenSchreiben);
  await revokeEinstellungsrecht(caller, req.params.partnerId, req.params.target);
  return { statusCode: 204 };
});
