import type { ReferenceItem, SchemaItem } from './model.js';
import { ConditionFailed, retry, transactChunked } from '../platform/table/index.js';
import { getSchema, listTenantReferences } from './store.js';
import { syncConsentSchema } from './writes.js';

/**
 * The fan-out of a metamodel change (consumer of `ConsentSchemaChanged`, decision 0202): the schema's
 * current entry is copied onto its consent row in every reference of the tenant on the schema's side
 * (user schemas: user and anonymous references; tenant schemas: TENANT). A reference without a row gets
 * one as "not granted", so a new user schema is listed but never granted by this.
 *
 * Idempotent and order-independent: it copies the schema as it is *now* (not as the event says) and a
 * row never takes an older revision than it has, so redelivered, late or reordered events converge on
 * the latest entry. A reference deleted meanwhile is skipped (the write is conditional on it existing).
 */
const PARALLEL = 16;

export interface SyncOutcome {
  readonly references: number;
  readonly updated: number;
}

export async function syncSchema(tenant: string, schema: string): Promise<SyncOutcome> {
  const current = await getSchema(tenant, schema);
  if (!current) return { references: 0, updated: 0 };
  const side = (reference: Pick<ReferenceItem, 'kind'>) => (reference.kind === 'tenant' ? 'tenant' : 'user');
  const references = (await listTenantReferences(tenant)).filter((reference) => side(reference) === current.owner);
  let updated = 0;
  const at = new Date().toISOString();
  for (let i = 0; i < references.length; i += PARALLEL) {
    const outcomes = await Promise.all(references.slice(i, i + PARALLEL).map((reference) => syncOne(tenant, reference.ref, current, at)));
    updated += outcomes.filter(Boolean).length;
  }
  return { references: references.length, updated };
}

/** True when the row now holds this revision; false when the reference is gone or the row has a newer one. */
async function syncOne(tenant: string, ref: string, schema: SchemaItem, at: string): Promise<boolean> {
  try {
    // A transaction conflict with a consent change of the same reference: try again shortly.
    await retry(() => transactChunked(syncConsentSchema(tenant, ref, schema, at)), {
      policy: { tries: 6 },
      retryable: (error) => error instanceof ConditionFailed && error.conflict,
    });
    return true;
  } catch (error) {
    if (error instanceof ConditionFailed && !error.conflict) return false; // deleted reference, or a newer copy already there
    throw error;
  }
}

