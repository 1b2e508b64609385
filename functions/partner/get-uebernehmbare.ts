import { uebernehmbare } from '../../shared/partner/relations-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { pageBody } from './paging.js';
import { pageParams, partnerHandler } from './http.js';
import { pageQuery, partnerParams } from './schemas.js';

/** GET /v2/partner/{partnerId}/uebernehmbare — explicit Zugriffsrechte of the partner, paged (next/prev). */
export const handler = partnerHandler({ params: partnerParams, query: pageQuery }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.beziehungenLesen);
  const page = pageParams(req.query);
  const result = await uebernehmbare(caller, req.params.partnerId, page);
  return { statusCode: 200, body: pageBody(req, req.params.partnerId, 'uebernehmbare', result, page.size) };
});
