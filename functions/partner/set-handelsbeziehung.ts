import { addHandelsbeziehung } from '../../shared/partner/grants-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { pairParams } from './schemas.js';

/**
 * PUT /v2/partner/{partnerId}/handelsbeziehungen/{target} (beside the spec) — the two
 * partners trade with each other, so each may read the other's Kontaktdaten. The caller
 * needs the Einstellungsrecht on both. 201 when new, 200 when it already existed.
 */
export const handler = partnerHandler({ params: pairParams }, async (req, caller) => {
  requireScope(req.principal, ...PARTNER_SCOPES.beziehungenSchreiben);
  const { partnerId, target } = req.params;
  const outcome = await addHandelsbeziehung(caller, partnerId, target);
  return { statusCode: outcome === 'added' ? 201 : 200, body: { partnerId, target, handelsbeziehung: true } };
});
