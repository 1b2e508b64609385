import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { createZugang } from '../../shared/partner/zugang-service.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerParams, sendEmailQuery, zugangBody } from './schemas.js';

/**
 * POST /v2/partner/{partnerId}/zugang?sendEmail= — the guide's three use cases; 406 for an
 * organisation or a second Zugang, 409 when the benutzername is taken anywhere on the platform.
 */
export const handler = partnerHandler({ params: partnerParams, query: sendEmailQuery, body: zugangBody }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.schreiben);
  const zugang = await createZugang(caller, req.params.partnerId, req.body, req.query.sendEmail === 'true');
  return { statusCode: 201, body: zugang };
});
