import { findTenant } from '../admin/tenants.js';
import { ConditionFailed, transactChunked } from '../platform/table/index.js';
import { authorize, type Caller } from './access.js';
import { consentErrors } from './errors.js';
import { TENANT_REF } from './keys.js';
import { tenantConsentReferenceWrites } from './onboarding.js';
import { getReference } from './store.js';

/**
 * `POST /{tenant}/consentReferences/TENANT`: the tenant reference, created if an onboarded tenant lacks it.
 * Apart from references.ts: it reads the tenant through the admin context, whose module brings the partner
 * and platform event declarations with it (~10 M init instructions no reference reader needs; decision 0125).
 */
export async function ensureTenantReference(tenant: string, caller: Caller): Promise<{ id: string; created: boolean }> {
  authorize(caller, tenant, { to: 'administer' });
  if (await getReference(tenant, TENANT_REF)) return { id: TENANT_REF, created: false };
  if (!(await findTenant(tenant))) throw consentErrors.tenantNotFound(tenant);
  try {
    await transactChunked(tenantConsentReferenceWrites(tenant, new Date()));
    return { id: TENANT_REF, created: true };
  } catch (error) {
    if (error instanceof ConditionFailed) return { id: TENANT_REF, created: false };
    throw error;
  }
}
