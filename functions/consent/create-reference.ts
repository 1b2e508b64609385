import * as z from 'zod/mini';
import { requestReference } from '../../shared/consent/references.js';
import { invalid } from '../../shared/platform/errors.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, leaderHeaders, referenceLink, schemaParam, tenantParam } from './http-common.js';

/**
 * POST /profile-consent/v1/{tenant}/consentReferences — answers `{id, link, consentReferenceToken}` at
 * once (201; 200 with the existing reference of a signed-in user); creation completes asynchronously.
 */
const params = z.object({ tenant: tenantParam });
const body = z.optional(
  z.object({
    classes: z.optional(z.array(z.string().check(z.minLength(1))).check(z.maxLength(100))),
    schemas: z.optional(z.array(schemaParam).check(z.maxLength(500))),
  }),
);
const idempotencyKey = z.optional(z.string().check(z.regex(/^[\x21-\x7e]{8,128}$/)));

export const handler = httpHandler({ params, body }, async (req) => {
  const parsed = idempotencyKey.safeParse(req.headers['idempotency-key']);
  if (!parsed.success) throw invalid('Idempotency-Key must be 8-128 visible ASCII characters', 'InvalidIdempotencyKey');
  const key = parsed.data;
  const result = await requestReference(req.params.tenant, callerOf(req), req.body ?? {}, key);
  const link = referenceLink(req, req.params.tenant, result.id);
  const leader = result.leadingConsentReference ?? result.id;
  return {
    statusCode: result.created ? 201 : 200,
    headers: { Location: link, ...leaderHeaders(leader) },
    body: { id: result.id, link, leadingConsentReference: leader, consentReferenceToken: result.consentReferenceToken },
  };
});
