import * as z from 'zod/mini';
import { listSchemas } from '../../shared/consent/metamodel.js';
import { httpHandler } from '../../shared/platform/http.js';
import { callerOf, tenantParam } from './http-common.js';

/** GET /profile-consent/v1/{tenant}/schemas — the tenant's active metamodel. */
const params = z.object({ tenant: tenantParam });

export const handler = httpHandler({ params }, async (req) => ({
  statusCode: 200,
  body: await listSchemas(req.params.tenant, callerOf(req)),
}));
