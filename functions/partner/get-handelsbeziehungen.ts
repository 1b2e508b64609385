import { handelsbeziehungen } from '../../shared/partner/grants-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { pageBody } from './paging.js';
import { pageParams, partnerHandler } from './http.js';
import { pageQuery, partnerParams } from './schemas.js';

/** GET /v2/partner/{partnerId}/handelsbeziehungen (beside the spec) — the partners it trades with, paged (next/prev). */
export const handler = partnerHandler({ params: partnerParams, query: pageQuery }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.beziehungenLesen);
  const page = pageParams(req.query);
  const result = await handelsbeziehungen(caller, req.params.partnerId, page);
  return { statusCode: 200, body: pageBody(req, req.params.partnerId, 'handelsbeziehungen', result, page.size) };
});
