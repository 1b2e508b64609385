import { type Caller, requireConsentCaller, requireView } from './access.js';
import { consentErrors } from './errors.js';
import { type ConsentSelection, loadConsentTarget, selectSchemas } from './grants.js';
import { requireTenant, requireActive } from './resolve.js';
import { type ConsentView, consentViews, schemasOf } from './views.js';

export interface ConsentListing {
  readonly leadingConsentReference: string;
  readonly consents: ConsentView[];
}

/**
 * `GET /{tenant}/consents/{ref}[/classes/{c}|/schemas/{s}]`: the consents of active schemas, read with
 * one Query of the reference's partition (plus the metamodel's, in parallel).
 */
export async function readConsents(tenant: string, ref: string, caller: Caller, selection?: ConsentSelection): Promise<ConsentListing> {
  requireConsentCaller(caller, tenant);
  const target = await loadConsentTarget(tenant, ref);
  if (!target) {
    await requireTenant(tenant);
    throw consentErrors.referenceNotFound(ref);
  }
  requireView(caller, target);
  requireActive(target);
  const schemas = selection ? await selectSchemas(target, selection) : schemasOf(target.leader, target.metamodel);
  return { leadingConsentReference: target.leader.ref, consents: consentViews(target.leader, target.consents, schemas) };
}
