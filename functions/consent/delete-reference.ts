import * as z from 'zod/mini';
import { deleteReference } from '../../shared/consent/deletion.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, refParam, tenantParam } from './http-common.js';

/** DELETE /profile-consent/v1/{tenant}/consents/{ref} — the reference, its consents and keys; TENANT/YPROFILE 403. */
const params = z.object({ tenant: tenantParam, ref: refParam });

export const handler = httpHandler({ params }, async (req) => {
  const result = await deleteReference(req.params.tenant, req.params.ref, callerOf(req));
  return { statusCode: 204, headers: leaderHeaders(result.leadingConsentReference) };
});
