import * as z from 'zod/mini';
import { removeSchema } from '../../shared/consent/metamodel.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, schemaParam, tenantParam } from './http-common.js';

/** DELETE /profile-consent/v1/{tenant}/schemas/{schema} — hides the schema's consents and data; deletes nothing. */
const params = z.object({ tenant: tenantParam, schema: schemaParam });

export const handler = httpHandler({ params }, async (req) => {
  await removeSchema(req.params.tenant, req.params.schema, callerOf(req));
  return { statusCode: 204 };
});
