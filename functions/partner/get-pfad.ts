import { getPfad } from '../../shared/partner/partner-service.js';
import { plaketteBody } from '../../shared/partner/representation.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerParams } from './schemas.js';

/**
 * GET /v2/partner/{partnerId}/pfad (beyond the spec) — root first, the partner last; ancestors the
 * caller may not see show only their id.
 */
export const handler = partnerHandler({ params: partnerParams }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.lesen);
  const pfad = await getPfad(caller, req.params.partnerId);
  return { statusCode: 200, body: { content: pfad.map((p) => (p.visible ? plaketteBody(p.view) : { partnerId: p.view.record.partnerId })) } };
});
