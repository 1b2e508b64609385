import * as z from 'zod/mini';
import { onboardTenant } from '../../shared/admin/tenants.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requirePrincipal } from '../../shared/platform/principal.js';
import { tenantParam } from '../../shared/platform/tenant-name.js';

const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const params = z.object({ tenant: tenantParam });
const body = z.object({
  name,
  rootPartner: z.object({ name }),
  administrator: z.object({ vorname: name, nachname: name, email: z.email() }),
});

/** PUT /admin/v1/tenants/{tenant}: onboards a tenant; repeating it returns the same ids. */
export const handler = httpHandler({ params, body }, async ({ params, body, principal }) => {
  requirePrincipal(principal, 'system');
  const { created, ...ids } = await onboardTenant({ tenant: params.tenant, ...body });
  return { statusCode: created ? 201 : 200, body: ids };
});
