import { logger } from '../platform/observability.js';
import { ConditionFailed, deleteRows, isConditionalCheckFailed, partition, queryAll, queryPage, RACE, retry, type TransactItem, transact, updateRow } from '../platform/table/index.js';
import { GSI1 } from '../platform/table-design.js';
import { CONSENT_SK_PREFIX, referencePartition, STAGED_CHANGES_INDEX_PARTITION } from './keys.js';
import type { SchemaItem } from './model.js';
import { isCommitted } from './staging.js';
import { Consent, getReference, loadMetamodel, StagedChange } from './store.js';
import {
  aliasRevocationWrites,
  deleteSchemaKeyOf,
  forgetSettled,
  rollBackStagedConsent,
  settleConsent,
  type StagedChangeRecord,
} from './writes.js';

/**
 * Finishing staged consent changes (decisions 0207, 0209). A change too large for one transaction is
 * visible from its head's commit on; settling it afterwards (staged values made the committed ones, a
 * revoke's keys destroyed, aliases' keys shredded) is what completes shredding. The request settles right
 * after the commit; when that fails the change stays committed and the request still answers it, and the
 * sweeper (a schedule) finishes it. A change whose head never committed is rolled back by the sweeper:
 * its staged values and the schema keys it wrote under grant blobs nobody holds are removed.
 */

/** A staged row to settle, and for a revoke the grant blob whose key settling destroys. */
export interface RowToSettle {
  readonly schema: string;
  readonly revokedBlob?: string | null;
}

const SETTLE_PARALLEL = 16;

/** Settles a committed change: idempotent (every write is conditional), so the request and the sweeper may both try. */
export async function settleStagedChange(change: StagedChangeRecord, rows: readonly RowToSettle[], schemaOf: ReadonlyMap<string, SchemaItem>): Promise<void> {
  const { tenant, ref, hash } = change;
  const aliasWrites = aliasRevocationWrites(tenant, change.aliasKeys, schemaOf, change.at);
  // Per alias and schema a row and a key (unconditional writes): in transactions of up to 100 items.
  for (let i = 0; i < aliasWrites.length; i += 100) await settleItems(aliasWrites.slice(i, i + 100));
  await inParallel(rows, SETTLE_PARALLEL, ({ schema, revokedBlob }) =>
    settleItems([settleConsent(tenant, ref, schema, hash), ...(revokedBlob ? [deleteSchemaKeyOf(tenant, ref, schema, revokedBlob)] : [])]),
  );
  // Only once every row is settled: a row left staged under a forgotten hash would count for nobody.
  await onceWon(async () => {
    await updateRow(forgetSettled(tenant, ref, hash)).catch((error: unknown) => {
      if (!isConditionalCheckFailed(error)) throw error; // the reference was deleted meanwhile
    });
  });
  await deleteRows('main', [StagedChange.key(tenant, ref, hash)]);
}

/**
 * A staged change is stale once no request can still be working on it: the function timeout (10 s) and
 * every retry budget are far below this, so a stale change's head either committed or never will.
 */
export const STAGED_CHANGE_STALE_MS = 2 * 60_000;
/** Changes one sweep finishes at most (each is a few hundred writes at worst). */
const SWEEP_MAX = 20;

export interface SweepOutcome {
  readonly found: number;
  /** Committed changes settled. */
  readonly settled: number;
  /** Changes whose head never committed, rolled back. */
  readonly rolledBack: number;
  /** Nothing left to do (settled already, or the reference deleted since): the record removed. */
  readonly cleared: number;
  readonly failed: number;
}

/** The schedule's work: every staged change older than the staleness bound, settled or rolled back. `tenant`: one tenant's only. */
export async function sweepStagedChanges(options: { readonly now: Date; readonly tenant?: string }): Promise<SweepOutcome> {
  const cutoff = new Date(options.now.getTime() - STAGED_CHANGE_STALE_MS).toISOString();
  const index = partition(STAGED_CHANGES_INDEX_PARTITION, undefined, GSI1);
  const { rows } = await queryPage('main', {
    ...index,
    KeyConditionExpression: '#pk = :pk AND #sk < :cutoff',
    ExpressionAttributeNames: { ...index.ExpressionAttributeNames, '#sk': GSI1.sortKey },
    ExpressionAttributeValues: { ...index.ExpressionAttributeValues, ':cutoff': cutoff, ...(options.tenant ? { ':tenant': options.tenant } : {}) },
    ...(options.tenant ? { FilterExpression: 'tenant = :tenant' } : {}),
    Limit: SWEEP_MAX,
  });
  const outcome = { found: rows.length, settled: 0, rolledBack: 0, cleared: 0, failed: 0 };
  for (const row of rows) {
    const change = StagedChange.parse(row);
    try {
      outcome[await finish(change)]++;
    } catch (error) {
      outcome.failed++;
      logger.error('A staged consent change could not be finished; the next sweep tries again', error as Error, { tenant: change.tenant, ref: change.ref, hash: change.hash });
    }
  }
  return outcome;
}

/** Decides on the head, read before the rows: a change still in `unsettled` (or the head itself) committed. */
async function finish(change: StagedChangeRecord): Promise<'settled' | 'rolledBack' | 'cleared'> {
  const { tenant, ref, hash } = change;
  const reference = await getReference(tenant, ref);
  const staged = reference ? await stagedRowsOf(tenant, ref, hash) : [];
  if (reference && isCommitted(hash, reference)) {
    const schemaOf = new Map((change.aliasKeys.length > 0 ? await loadMetamodel(tenant) : []).map((schema) => [schema.schema, schema]));
    const rows = staged.map((row) => ({ schema: row.schema, revokedBlob: row.stagedGranted === false ? row.grantBlob : undefined }));
    await settleStagedChange(change, rows, schemaOf);
    return 'settled';
  }
  // Not committed, and stale: it never will be. Its staged values count for nobody; remove them and the
  // keys staged under blobs nobody holds (a row a later change re-staged is skipped, key and all).
  for (const row of staged) {
    await settleItems([rollBackStagedConsent(tenant, ref, row.schema, hash), ...(row.stagedGranted === true && row.stagedBlob ? [deleteSchemaKeyOf(tenant, ref, row.schema, row.stagedBlob)] : [])]);
  }
  await deleteRows('main', [StagedChange.key(tenant, ref, hash)]);
  return staged.length > 0 ? 'rolledBack' : 'cleared';
}

/** The reference's consent rows still staged by this change, strongly consistent. */
async function stagedRowsOf(tenant: string, ref: string, hash: string) {
  const query = partition(referencePartition(tenant, ref), CONSENT_SK_PREFIX);
  const rows = await queryAll('main', { ...query, FilterExpression: 'stagedHash = :hash', ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':hash': hash } });
  return rows.map((row) => ({
    ...Consent.parse(row),
    stagedGranted: row.stagedGranted === true ? true : row.stagedGranted === false ? false : undefined,
    stagedBlob: typeof row.stagedBlob === 'string' ? row.stagedBlob : undefined,
  }));
}

/**
 * One transaction of settling or rolling back: a failed condition means a later change (or another sweep)
 * already wrote the row, so it is skipped; a lost race to a concurrent transaction on the same items is
 * tried again (a skipped row would stay staged); still losing after the tries, it throws and the change
 * stays for the next sweep.
 */
async function settleItems(items: TransactItem[]): Promise<void> {
  await onceWon(() =>
    transact(items).catch((error: unknown) => {
      if (!(error instanceof ConditionFailed) || error.conflict) throw error;
    }),
  );
}

const isLostRace = (error: unknown) =>
  (error instanceof ConditionFailed && error.conflict) || (error as Error | undefined)?.name === 'TransactionConflictException';

/** Tries `attempt` again while it loses races to concurrent transactions (RACE backoff). */
const onceWon = (attempt: () => Promise<void>) => retry(attempt, { policy: RACE, retryable: isLostRace });

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}
