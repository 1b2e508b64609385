import * as z from 'zod/mini';
import { searchByExterneId } from '../../shared/partner/partner-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler, partnerLocation } from './http.js';

/** GET /v2/partners?externePartnerId= — partners with that external id the caller may see. */
const query = z.object({ externePartnerId: z.string().check(z.minLength(1, 'externePartnerId is required'), z.maxLength(500)) });

export const handler = partnerHandler({ query }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.lesen);
  const ids = await searchByExterneId(caller, req.query.externePartnerId);
  return {
    statusCode: 200,
    body: { total: ids.length, partners: ids.map((partnerId) => ({ partnerId, href: partnerLocation(req, partnerId) })) },
  };
});
