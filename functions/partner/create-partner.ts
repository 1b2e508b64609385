import { createPartner } from '../../shared/partner/partner-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler, partnerLocation, partnerResult } from './http.js';
import { createBody, partnerParams } from './schemas.js';

/**
 * POST /v2/partner/{partnerId}/untergeordnete — 201 with Location for a new partner, 205 when the
 * body names an existing one (by partnerId, or by externePartnerId below the same parent) and it
 * was updated instead.
 */
export const handler = partnerHandler({ params: partnerParams, body: createBody }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.anlegen);
  const { typ, partnerId, gesperrt, rechte, ...attributes } = req.body;
  const { outcome, view } = await createPartner(caller, req.params.partnerId, { typ, partnerId, gesperrt, rechte, attributes });
  const location = { Location: partnerLocation(req, view.record.partnerId) };
  return partnerResult(view, outcome === 'created' ? 201 : 205, location);
});
