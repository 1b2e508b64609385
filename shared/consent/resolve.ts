import type { Addressed } from './access.js';
import { consentErrors } from './errors.js';
import { TENANT_REF } from './keys.js';
import type { ReferenceItem } from './model.js';
import { getReference } from './store.js';

/**
 * A tenant exists once onboarded, and onboarding creates its TENANT reference in the same
 * transaction as the tenant record, so that reference is the consent context's witness of the tenant.
 */
export async function requireTenant(tenant: string): Promise<ReferenceItem> {
  const tenantRef = await getReference(tenant, TENANT_REF);
  if (!tenantRef) throw consentErrors.tenantNotFound(tenant);
  return tenantRef;
}

/** The addressed reference and its leader (itself unless it is an alias); 404 if either is unknown. */
export async function resolveReference(tenant: string, ref: string): Promise<Addressed> {
  const addressed = await getReference(tenant, ref);
  if (!addressed) {
    await requireTenant(tenant);
    throw consentErrors.referenceNotFound(ref);
  }
  if (!addressed.leader) return { addressed, leader: addressed };
  const leader = await getReference(tenant, addressed.leader);
  if (!leader) throw consentErrors.referenceNotFound(ref);
  return { addressed, leader };
}

/** A reference whose creation has not completed answers 409 with Retry-After. */
export function requireActive(target: Addressed): void {
  if (target.leader.status !== 'active') throw consentErrors.referencePending(target.addressed.ref);
}

export function requireUnblocked(target: Addressed): void {
  if (target.leader.blocked) throw consentErrors.referenceBlocked(target.addressed.ref);
}
