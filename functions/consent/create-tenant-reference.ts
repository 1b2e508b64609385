import * as z from 'zod/mini';
import { ensureTenantReference } from '../../shared/consent/tenant-reference.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, referenceLink, tenantParam } from './http-common.js';

/** POST /profile-consent/v1/{tenant}/consentReferences/TENANT — tenant administrator, manage scope. */
const params = z.object({ tenant: tenantParam });

export const handler = httpHandler({ params }, async (req) => {
  const result = await ensureTenantReference(req.params.tenant, callerOf(req));
  const link = referenceLink(req, req.params.tenant, result.id);
  return {
    statusCode: result.created ? 201 : 200,
    headers: { Location: link, ...leaderHeaders(result.id) },
    body: { id: result.id, link, leadingConsentReference: result.id },
  };
});
