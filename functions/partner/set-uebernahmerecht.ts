import * as z from 'zod/mini';
import { grantUebernahmeRecht } from '../../shared/partner/relations-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerId } from './schemas.js';

/**
 * POST /v2/partner/{partnerId}/uebernahmeRechtFuer/{target} — partnerId gets the Zugriffsrecht on
 * target; the caller needs the Einstellungsrecht on both. Either spelling of the scope is accepted.
 */
const params = z.object({ partnerId: partnerId(), target: partnerId() });

export const handler = partnerHandler({ params }, async (req, caller) => {
  requireScope(req.principal, ...PARTNER_SCOPES.beziehungenSchreiben);
  await grantUebernahmeRecht(caller, req.params.partnerId, req.params.target);
  return { statusCode: 201 };
});
