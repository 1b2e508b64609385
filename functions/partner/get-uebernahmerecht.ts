import * as z from 'zod/mini';
import { getUebernahmeRecht } from '../../shared/partner/relations-service.js';
import { plaketteBody } from '../../shared/partner/representation.js';
import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { requireScope } from '../../shared/platform/principal.js';
import { partnerHandler } from './http.js';
import { partnerId } from './schemas.js';

/** GET /v2/partner/{partnerId}/uebernahmeRechtFuer/{target} — may partnerId take over target's Vorgänge? */
const params = z.object({ partnerId: partnerId(), target: partnerId() });

export const handler = partnerHandler({ params }, async (req, caller) => {
  requireScope(req.principal, PARTNER_SCOPES.beziehungenLesen);
  const { target, uebernehmbar } = await getUebernahmeRecht(caller, req.params.partnerId, req.params.target);
  const { partnerId: id, gesperrt } = plaketteBody(target);
  return { statusCode: 200, body: { partner: { partnerId: id, gesperrt }, uebernehmbar } };
});
