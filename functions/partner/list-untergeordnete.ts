import { listChildren } from '../../shared/partner/partner-service.js';
import { plaketteBody } from '../../shared/partner/representation.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerParams } from './schemas.js';

/** GET /v2/partner/{partnerId}/untergeordnete — the direct children as Plaketten. */
export const handler = partnerHandler({ params: partnerParams }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.lesen);
  const children = await listChildren(caller, req.params.partnerId);
  return { statusCode: 200, body: children.map(plaketteBody) };
});
