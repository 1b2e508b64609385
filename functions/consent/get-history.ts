import * as z from 'zod/mini';
import { readHistory } from '../../shared/consent/history-view.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, refParam, tenantParam } from './http-common.js';

/** GET /profile-consent/v1/{tenant}/consents/{ref}/history — the hash-chained history and its verification. */
const params = z.object({ tenant: tenantParam, ref: refParam });

export const handler = httpHandler({ params }, async (req) => {
  const history = await readHistory(req.params.tenant, req.params.ref, callerOf(req));
  return { statusCode: 200, headers: leaderHeaders(history.leadingConsentReference), body: history };
});
