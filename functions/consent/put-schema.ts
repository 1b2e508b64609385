import * as z from 'zod/mini';
import { putSchema } from '../../shared/consent/metamodel.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, classParam, schemaParam, tenantParam } from './http-common.js';

/** PUT /profile-consent/v1/{tenant}/schemas/{schema} — adds, changes or re-adds a metamodel schema. */
const params = z.object({ tenant: tenantParam, schema: schemaParam });
const body = z.object({
  consentClass: classParam,
  owner: z.enum(['user', 'tenant']),
  title: z.string().check(z.maxLength(256)),
  description: z._default(z.string().check(z.maxLength(2048)), ''),
  grantedByDefault: z.optional(z.boolean()),
});

export const handler = httpHandler({ params, body }, async (req) => {
  const result = await putSchema(req.params.tenant, req.params.schema, req.body, callerOf(req));
  return { statusCode: result.created ? 201 : 200, body: result.schema };
});
