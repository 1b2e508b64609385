import type { SchemaItem } from './model.js';
import { handOn } from '../platform/continuation.js';
import { ConditionFailed, retry, transactChunked } from '../platform/table/index.js';
import { consentEvents } from './events.js';
import { getSchema, type IndexedReference, listTenantReferencesPage } from './store.js';
import { syncConsentSchema } from './writes.js';

/**
 * The fan-out of a metamodel change (consumer of `ConsentSchemaChanged`, decision 0202): the schema's
 * current entry is copied onto its consent row in every reference of the tenant on the schema's side
 * (user schemas: user and anonymous references; tenant schemas: TENANT). A reference without a row gets
 * one as "not granted", so a new user schema is listed but never granted by this.
 *
 * Paged with continuations (decision 0208): one invocation copies at most `SYNC_PAGE_SIZE` references
 * (one page of the store's sharded reference listing),
 * then hands the rest on as `ConsentSchemaSyncContinued {schema, revision, cursor}` through the outbox.
 * The continuation's event id is derived from (tenant, schema, revision, cursor), and an outbox put never
 * overwrites a row, so a page run twice (redelivery, crash after the hand-over) hands on once. A
 * continuation is confirmed by its consumer after its page and the next hand-over: one that crashed is
 * re-published by the sweeper and resumes at its cursor (decision 0030). A newer revision supersedes an
 * older chain (it starts over from the first page).
 *
 * Idempotent and order-independent: it copies the schema as it is *now* (not as the event says) and a
 * row never takes an older revision than it has, so redelivered, late or reordered events converge on
 * the latest entry. A reference deleted meanwhile is skipped (the write is conditional on it existing).
 */
/**
 * References per invocation: a multiple of the index's 16 shards, so a page is never larger (decision
 * 0206); 16 transactions at a time, so 16 rounds, well inside the consumer's 10 s timeout (decision 0208).
 */
export const SYNC_PAGE_SIZE = 256;
const PARALLEL = 16;

export interface SyncOutcome {
  readonly references: number;
  readonly updated: number;
}

export interface PageOutcome extends SyncOutcome {
  /** Index entries read by this page (bounded by the page size). */
  readonly read: number;
  /** Where the next page starts; absent when this was the last page (or the chain was superseded). */
  readonly cursor?: string;
  /** The event id of the continuation handed on, when there is one. */
  readonly continuation?: string;
  readonly superseded?: boolean;
}

const side = (reference: IndexedReference) => (reference.kind === 'tenant' ? 'tenant' : 'user');

/**
 * One invocation's work: the page of references from `cursor` (the first page without one) at the
 * schema's current entry, then the hand-over of the rest. `revision` is the revision the chain was started
 * for: a schema that has moved on since makes this chain stop (the newer revision's own chain copies it).
 */
export async function syncSchemaPage(
  tenant: string,
  schema: string,
  revision: number | undefined,
  cursor?: string,
  pageSize = SYNC_PAGE_SIZE,
): Promise<PageOutcome> {
  const current = await getSchema(tenant, schema);
  if (!current) return { references: 0, updated: 0, read: 0 };
  const currentRevision = current.revision ?? 0;
  if (revision !== undefined && revision < currentRevision) return { references: 0, updated: 0, read: 0, superseded: true };
  const page = await listTenantReferencesPage(tenant, cursor, pageSize);
  const outcome = await copyOnto(tenant, current, page.references);
  if (!page.cursor) return { ...outcome, read: page.references.length };
  const continuation = await handOn(consentEvents.ConsentSchemaSyncContinued, { tenant, schema, revision: currentRevision, cursor: page.cursor }, [tenant, schema, currentRevision, page.cursor]);
  return { ...outcome, read: page.references.length, cursor: page.cursor, continuation };
}

/** Every page in this process, without continuations (tools and tests; the consumers page through events). */
export async function syncSchema(tenant: string, schema: string, pageSize = SYNC_PAGE_SIZE): Promise<SyncOutcome> {
  const current = await getSchema(tenant, schema);
  if (!current) return { references: 0, updated: 0 };
  let references = 0;
  let updated = 0;
  let cursor: string | undefined;
  do {
    const page = await listTenantReferencesPage(tenant, cursor, pageSize);
    const outcome = await copyOnto(tenant, current, page.references);
    references += outcome.references;
    updated += outcome.updated;
    cursor = page.cursor;
  } while (cursor);
  return { references, updated };
}

async function copyOnto(tenant: string, schema: SchemaItem, page: readonly IndexedReference[]): Promise<SyncOutcome> {
  const references = page.filter((reference) => side(reference) === schema.owner);
  let updated = 0;
  const at = new Date().toISOString();
  for (let i = 0; i < references.length; i += PARALLEL) {
    const outcomes = await Promise.all(references.slice(i, i + PARALLEL).map((reference) => syncOne(tenant, reference.ref, schema, at)));
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
