import { grantEinstellungsrecht } from '../../shared/partner/grants-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { pairParams } from './schemas.js';

/**
 * PUT /v2/partner/{partnerId}/einstellungsrechtFuer/{target} (beside the spec) — partnerId gets the
 * explicit Einstellungsrecht on target (and everything below it), which `administrierbare` then lists.
 * The caller needs the Einstellungsrecht on both. 201 when new, 200 when it already existed.
 */
export const handler = partnerHandler({ params: pairParams }, async (req, caller) => {
  requireScope(req.principal, ...PARTNER_SCOPES.beziehungenSchreiben);
  const { partnerId, target } = req.params;
  const outcome = await grantEinstellungsrecht(caller, partnerId, target);
  return { statusCode: outcome === 'granted' ? 201 : 200, body: { partnerId, target, einstellungsrecht: true } };
});
