import * as z from 'zod/mini';
import { findTenant } from '../../shared/admin/tenants.js';
import { restoreAdministrator } from '../../shared/partner/administrator-service.js';
import { notFound } from '../../shared/platform/errors.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requirePrincipal } from '../../shared/platform/principal.js';
import { tenantParam } from '../../shared/platform/tenant-name.js';

const params = z.object({ tenant: tenantParam });

/**
 * POST /admin/v1/tenants/{tenant}/administrator/restore — the platform operator (principal `system`)
 * gives the tenant's onboarded administrator every right again, lifts its own lock and restores its
 * Einstellungsrecht on the tenant's root (decision 0104, docs/partner.md). Answers what it now holds.
 */
export const handler = httpHandler({ params }, async ({ params, principal }) => {
  requirePrincipal(principal, 'system');
  const tenant = await findTenant(params.tenant);
  if (!tenant) throw notFound(`Tenant ${params.tenant} not found`, 'TenantNotFound');
  const restored = await restoreAdministrator(params.tenant, tenant.administratorPartnerId, tenant.rootPartnerId, principal.sub);
  return { statusCode: 200, body: restored };
});
