import * as z from 'zod/mini';
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT, readHistory } from '../../shared/consent/history-view.js';
import { cursorParam } from '../../shared/platform/cursor.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, referenceLink, refParam, tenantParam } from './http-common.js';

/**
 * GET /profile-consent/v1/{tenant}/consents/{ref}/history?limit=&next= — a page of the hash-chained history
 * and its verification; `next` (body, and a `Link: rel="next"` header) continues.
 */
const params = z.object({ tenant: tenantParam, ref: refParam });
const query = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(HISTORY_MAX_LIMIT)), HISTORY_DEFAULT_LIMIT),
  next: z.optional(cursorParam),
});

export const handler = httpHandler({ params, query }, async (req) => {
  const history = await readHistory(req.params.tenant, req.params.ref, callerOf(req), { limit: req.query.limit, cursor: req.query.next });
  const headers: Record<string, string> = leaderHeaders(history.leadingConsentReference);
  if (history.next) {
    const self = referenceLink(req, req.params.tenant, req.params.ref).replace('/consentReferences/', '/consents/');
    headers.Link = `<${self}/history?limit=${req.query.limit}&next=${history.next}>; rel="next"`;
  }
  return { statusCode: 200, headers, body: history };
});
