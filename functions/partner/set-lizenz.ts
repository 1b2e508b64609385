import { setLizenz } from '../../shared/partner/kennzeichen-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { lizenzBody, lizenzParams } from './schemas.js';

/**
 * PUT /v2/partner/{partnerId}/lizenzen/{lizenz} (beside the spec's GET) body `{"aktiv": true|false}` —
 * switches one licence on (needs the Einstellungsrecht on the partner and the licence itself, or the
 * Einstellungsrecht on the tenant's root; 403 `LizenzNotHeld`) or off. Answers all licences.
 */
export const handler = partnerHandler({ params: lizenzParams, body: lizenzBody }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.rechteSchreiben);
  return { statusCode: 200, body: await setLizenz(caller, req.params.partnerId, req.params.lizenz, req.body.aktiv) };
});
