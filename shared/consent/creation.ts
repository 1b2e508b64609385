import { randomUUID } from 'node:crypto';
import { consentEvent } from './events.js';
import { nextEntry } from './history.js';
import { newWrappedSchemaKey } from './key-material.js';
import type { ConsentItem, ReferenceItem, SchemaItem } from './model.js';
import { loadMetamodel, getReference } from './store.js';
import { ConditionFailed, transactWrite, type TransactWriteItem } from './transact.js';
import { referenceDataKey } from './grants.js';
import { schemasOf } from './views.js';
import { advanceHead, putConsent, putHistoryEntry, putSchemaKey } from './writes.js';

/** Schemas a new reference grants: those it asked for, else every user schema granted by default. */
export function initialGrants(reference: ReferenceItem, metamodel: readonly SchemaItem[]): SchemaItem[] {
  const applicable = schemasOf(reference, metamodel);
  const asked = reference.requested;
  if (!asked) return applicable.filter((s) => s.grantedByDefault !== false);
  return applicable.filter((s) => asked.schemas?.includes(s.schema) || asked.classes?.includes(s.consentClass));
}

/**
 * Completes a requested reference (consumer of `ConsentReferenceRequested`): its consents, one KMS data
 * key, the schema keys wrapped under it, the `created` history entry and `ConsentReferenceCreated`, in
 * one transaction conditional on the reference still being pending. Idempotent: a redelivered event
 * finds the reference active (or gone) and does nothing.
 */
export async function completeReference(tenant: string, ref: string): Promise<'created' | 'skipped'> {
  const reference = await getReference(tenant, ref);
  if (!reference || reference.status !== 'pending') return 'skipped';
  const grants = initialGrants(reference, await loadMetamodel(tenant));
  const at = new Date().toISOString();
  const entry = nextEntry({ seq: reference.historySeq, hash: reference.historyHash }, {
    at,
    actor: { kind: 'system', sub: 'consent-service' },
    action: 'created',
    changes: grants.map((s) => ({ schema: s.schema, from: false, to: true })),
  });
  const head: TransactWriteItem[] = [
    advanceHead(reference, entry, { status: 'active' }),
    putHistoryEntry(tenant, ref, entry),
    consentEvent('ConsentReferenceCreated', tenant, { consentReference: ref, kind: reference.kind, grantedConsents: grants.map((s) => s.schema) }),
  ];
  const tail: TransactWriteItem[] = [];
  if (grants.length > 0) {
    const dataKey = await referenceDataKey(tenant, ref, at, head);
    for (const schema of grants) {
      const grantBlob = randomUUID();
      const consent: ConsentItem = { tenant, ref, schema: schema.schema, consentClass: schema.consentClass, granted: true, grantBlob, updatedAt: at };
      tail.push(putConsent(consent));
      tail.push(putSchemaKey(tenant, ref, schema.schema, grantBlob, newWrappedSchemaKey(dataKey, { tenant, ref, schema: schema.schema, grantBlob }), at));
    }
  }
  try {
    await transactWrite(head, tail);
    return 'created';
  } catch (error) {
    if (error instanceof ConditionFailed) return 'skipped'; // a concurrent delivery completed it
    throw error;
  }
}
