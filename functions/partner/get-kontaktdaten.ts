import { getKontaktdaten } from '../../shared/partner/partner-service.js';
import { kontaktdatenBody } from '../../shared/partner/representation.js';
import { partnerHandler } from './http.js';
import { partnerParams } from './schemas.js';

/**
 * GET /v2/partner/{partnerId}/kontaktdaten — the spec asks for no scope here (any valid partner token);
 * visible with the Einstellungsrecht, a Zugriffsrecht or a trading relationship (403 otherwise).
 */
export const handler = partnerHandler({ params: partnerParams }, async (req, caller) => {
  const view = await getKontaktdaten(caller, req.params.partnerId);
  return { statusCode: 200, body: kontaktdatenBody(view.record) };
});
