import { randomUUID } from 'node:crypto';
import { loadConsentClasses } from '../admin/consent-classes.js';
import { consentEvent } from './events.js';
import { nextEntry } from './history.js';
import { newWrappedSchemaKey } from './key-material.js';
import type { ConsentItem, ReferenceItem, SchemaItem } from './model.js';
import { loadMetamodel, getReference } from './store.js';
import { consentErrors } from './errors.js';
import { type TransactItem, transactChunked, untilWon } from '../platform/table/index.js';
import { referenceDataKey } from './grants.js';
import { schemasOf } from './views.js';
import { advanceHead, putConsent, putHistoryEntry, putSchemaKey, schemaKeyGuards } from './writes.js';

/**
 * Schemas a new reference grants: those it asked for, else every user schema granted by default; never
 * one of a disabled consent class (`disabledClasses`, decision 0205).
 */
export function initialGrants(reference: ReferenceItem, metamodel: readonly SchemaItem[], disabledClasses: ReadonlySet<string> = new Set()): SchemaItem[] {
  const applicable = schemasOf(reference, metamodel).filter((s) => !disabledClasses.has(s.consentClass));
  const asked = reference.requested;
  if (!asked) return applicable.filter((s) => s.grantedByDefault !== false);
  return applicable.filter((s) => asked.schemas?.includes(s.schema) || asked.classes?.includes(s.consentClass));
}

/**
 * Completes a requested reference (consumer of `ConsentReferenceRequested`): its consents, one KMS data
 * key, the schema keys wrapped under it, the `created` history entry and `ConsentReferenceCreated`, in
 * one transaction conditional on the reference still being pending. Every schema of the reference's side
 * gets a consent row with a copy of its metamodel entry (granted or not, active or removed), so the
 * consents are listed from the reference partition alone. Idempotent: a redelivered event finds the
 * reference active (or gone) and does nothing. A schema change racing the creation makes a row's copy
 * newer than what we read: the transaction fails and we start over with the new metamodel.
 */
export async function completeReference(tenant: string, ref: string): Promise<'created' | 'skipped'> {
  return untilWon(() => attempt(tenant, ref), () => consentErrors.concurrentChange(ref));
}

async function attempt(tenant: string, ref: string): Promise<'created' | 'skipped'> {
  const reference = await getReference(tenant, ref);
  if (reference?.status !== 'pending') return 'skipped';
  const [metamodel, classes] = await Promise.all([loadMetamodel(tenant), loadConsentClasses()]);
  const disabled = new Set([...classes.values()].filter((c) => !c.enabled).map((c) => c.class));
  const grants = initialGrants(reference, metamodel, disabled);
  const at = new Date().toISOString();
  const entry = nextEntry({ seq: reference.historySeq, hash: reference.historyHash }, {
    at,
    actor: { kind: 'system', sub: 'consent-service' },
    action: 'created',
    changes: grants.map((s) => ({ schema: s.schema, from: false, to: true })),
  });
  const head: TransactItem[] = [
    advanceHead(reference, entry, { status: 'active' }),
    putHistoryEntry(tenant, ref, entry),
    consentEvent('ConsentReferenceCreated', tenant, { consentReference: ref, kind: reference.kind, grantedConsents: grants.map((s) => s.schema) }),
  ];
  const tail: TransactItem[] = [];
  const dataKey = grants.length > 0 ? await referenceDataKey(tenant, ref, at, tail) : undefined;
  const granted = new Set(grants.map((s) => s.schema));
  const side = reference.kind === 'tenant' ? 'tenant' : 'user';
  for (const schema of metamodel.filter((s) => s.owner === side)) {
    const grantBlob = dataKey && granted.has(schema.schema) ? randomUUID() : null;
    const consent: ConsentItem = { tenant, ref, schema: schema.schema, consentClass: schema.consentClass, granted: grantBlob !== null, grantBlob, updatedAt: at };
    tail.push(putConsent(consent, schema));
    if (dataKey && grantBlob) {
      tail.push(putSchemaKey(tenant, ref, schema.schema, grantBlob, newWrappedSchemaKey(dataKey, { tenant, ref, schema: schema.schema, grantBlob }), at));
    }
  }
  dataKey?.fill(0);
  // ConditionFailed: a concurrent delivery completed it, it was deleted, or a schema changed; retried.
  await transactChunked(head, tail, dataKey ? schemaKeyGuards(reference) : []);
  return 'created';
}
