import { getConsentClass, loadConsentClasses } from '../admin/consent-classes.js';
import { authorize, type Caller } from './access.js';
import { consentErrors } from './errors.js';
import { type ConsentSelection, loadReferenceTarget } from './grants.js';
import { requireTenant, requireActive } from './resolve.js';
import { loadMetamodel } from './store.js';
import { type ConsentView, consentViews, rowViews, schemasOf } from './views.js';

export interface ConsentListing {
  readonly leadingConsentReference: string;
  readonly consents: ConsentView[];
}

/**
 * `GET /{tenant}/consents/{ref}[/classes/{c}|/schemas/{s}]`: the consents of active schemas, from ONE
 * Query of the reference's partition: each consent row carries a copy of its schema's title, description,
 * class and active flag (decision 0202), and beside it one Query of the (small) class dictionary: a
 * consent of a disabled class is listed only while granted (decision 0205). Through an alias, one more
 * Query (the leader's partition); the 404 paths read the tenant or the class to say which is unknown.
 */
export async function readConsents(tenant: string, ref: string, caller: Caller, selection?: ConsentSelection): Promise<ConsentListing> {
  authorize(caller, tenant, { to: 'call' });
  const [target, classes] = await Promise.all([loadReferenceTarget(tenant, ref), loadConsentClasses()]);
  if (!target) {
    await requireTenant(tenant);
    throw consentErrors.referenceNotFound(ref);
  }
  authorize(caller, tenant, { to: 'view', target });
  requireActive(target);
  // A disabled class's consents are not offered: only what is still granted is listed (so it can be revoked).
  const views = rowViews(target.leader, target.consents);
  const offered = views.filter((view) => view.granted || classes.get(view.consentClass)?.enabled !== false);
  if (!selection) return { leadingConsentReference: target.leader.ref, consents: offered };
  if ('schema' in selection) {
    let found = views.filter((view) => view.schema === selection.schema);
    // A schema added since the last fan-out (decision 0208: minutes for a large tenant) has no copy on
    // this reference yet: answer from the metamodel, as a grant would, instead of a 404 that contradicts it.
    if (found.length === 0) {
      const schemas = schemasOf(target.leader, await loadMetamodel(tenant)).filter((s) => s.schema === selection.schema);
      found = consentViews(target.leader, target.consents, schemas);
    }
    if (found.length === 0) throw consentErrors.schemaNotFound(selection.schema);
    return { leadingConsentReference: target.leader.ref, consents: found };
  }
  const inClass = offered.filter((view) => view.consentClass === selection.consentClass);
  if (inClass.length === 0 && !(await getConsentClass(selection.consentClass))) throw consentErrors.classNotFound(selection.consentClass);
  return { leadingConsentReference: target.leader.ref, consents: inClass };
}
