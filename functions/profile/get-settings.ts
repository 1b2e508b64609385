import * as z from 'zod/mini';
import { getSettings } from '../../shared/profile/settings.js';
import { httpHandler } from '../../shared/platform/http.js';
import { tenantParam } from './http-common.js';

/** GET /profile/v1/tenants/{tenant}/settings — which entity types every related partner may read. */
const params = z.object({ tenant: tenantParam });

export const handler = httpHandler({ params }, async (req) => ({ statusCode: 200, body: await getSettings(req.params.tenant, req.principal) }));
