import * as z from 'zod/mini';
import { putSettings } from '../../shared/profile/settings.js';
import { httpHandler } from '../../shared/platform/http.js';
import { tenantParam } from './http-common.js';

/** PUT /profile/v1/tenants/{tenant}/settings — sets the entity types shared with every related partner. */
const params = z.object({ tenant: tenantParam });
const entityType = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'not an entity type name'));
const body = z.strictObject({ sharedEntityTypes: z.array(entityType).check(z.maxLength(32)) });

export const handler = httpHandler({ params, body }, async (req) => ({
  statusCode: 200,
  body: await putSettings(req.params.tenant, req.principal, req.body.sharedEntityTypes),
}));
