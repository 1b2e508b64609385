import { patchPartner } from '../../shared/partner/partner-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler, partnerResult } from './http.js';
import { partnerParams, patchBody } from './schemas.js';

/**
 * PATCH /v2/partner/{partnerId} — only the listed attributes, `""` deletes, `gesperrt` locks the
 * subtree; If-Match with a stale ETag is a 412. Answers the full current partner.
 */
export const handler = partnerHandler({ params: partnerParams, body: patchBody }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.schreiben);
  const { gesperrt, ...attributes } = req.body;
  const view = await patchPartner(caller, req.params.partnerId, { attributes, gesperrt }, req.expectedVersion);
  return partnerResult(view);
});
