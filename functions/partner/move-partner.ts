import * as z from 'zod/mini';
import { movePartner } from '../../shared/partner/move-service.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler, partnerResult } from './http.js';
import { partnerId, partnerParams } from './schemas.js';

/**
 * PUT /v2/partner/{partnerId}/parent (beyond the spec) body `{"partnerId": "NEW12"}` — moves the
 * partner with its subtree below another parent; needs the Einstellungsrecht on its current and its new
 * parent, and never moves the caller itself or one of its ancestors (shared/partner/move-rules.ts).
 */
const body = z.object({ partnerId: partnerId() });

export const handler = partnerHandler({ params: partnerParams, body }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.schreiben);
  return partnerResult(await movePartner(caller, req.params.partnerId, req.body.partnerId));
});
