import * as z from 'zod/mini';
import { CHANGES_MAX_LIMIT, listChanges } from '../../shared/crm/pull.js';
import { invalid } from '../../shared/platform/errors.js';
import { httpHandler } from '../../shared/platform/http.js';
import { nextLink, pageQuery, partnerRead } from './http-common.js';

/** GET /profile/v1/crm/changes?changedSince=… (&limit=&next=) — the partner's notices recorded since then (deltas). */
const query = z.object({ changedSince: z.optional(z.iso.datetime({ offset: true })), ...pageQuery(CHANGES_MAX_LIMIT, 100) });

export const handler = httpHandler({ query }, async (req) => {
  if (!req.query.changedSince && !req.query.next) throw invalid('changedSince (ISO 8601) is required on the first page', 'ChangedSinceRequired');
  const page = await partnerRead(req, (caller) => listChanges(caller, { changedSince: req.query.changedSince, limit: req.query.limit, cursor: req.query.next }));
  return { statusCode: 200, body: page, headers: nextLink(req, page.next) };
});
