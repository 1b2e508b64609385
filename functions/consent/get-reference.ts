import * as z from 'zod/mini';
import { describeReference } from '../../shared/consent/references.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, referenceLink, refParam, tenantParam } from './http-common.js';

/** GET /profile-consent/v1/{tenant}/consentReferences/{ref} — status (pending|active), leader, aliases. */
const params = z.object({ tenant: tenantParam, ref: refParam });

export const handler = httpHandler({ params }, async (req) => {
  const view = await describeReference(req.params.tenant, req.params.ref, callerOf(req));
  return {
    statusCode: 200,
    headers: leaderHeaders(view.leadingConsentReference),
    body: { ...view, link: referenceLink(req, req.params.tenant, view.id) },
  };
});
