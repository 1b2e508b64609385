import * as z from 'zod/mini';
import { getSchema } from '../../shared/consent/metamodel.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, schemaParam, tenantParam } from './http-common.js';

/** GET /profile-consent/v1/{tenant}/schemas/{schema} — one active schema of the metamodel. */
const params = z.object({ tenant: tenantParam, schema: schemaParam });

export const handler = httpHandler({ params }, async (req) => ({
  statusCode: 200,
  body: await getSchema(req.params.tenant, req.params.schema, callerOf(req)),
}));
