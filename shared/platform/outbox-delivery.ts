import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgeClient } from './clients.js';
import { config } from './config.js';
import {
  busEntryFromRow,
  OUTBOX_DUE_SHARDS,
  OUTBOX_REPUBLISH_AFTER_MS,
  outboxDuePartition,
  outboxDueSortKey,
  outboxKey,
  type BusEntry,
  type OutboxRow,
} from './outbox.js';
import { isConditionalCheckFailed, queryPage, type Row, updateIfStill, updateRow } from './table/index.js';
import { GSI1 } from './table-design.js';

/**
 * The delivery guarantee's two halves on the table side (docs/delivery.md, decision 0030):
 * confirming an outbox row (it leaves the sparse due index) and sweeping the rows that were not
 * confirmed in time (re-published, due again later with backoff).
 */

export type ConfirmedBy = 'bus' | 'consumer';

/**
 * Confirms the outbox row of `eventId` (the event's `detail.eventId`, stable across re-publishes; the
 * EventBridge envelope id is not). `bus`: the event arrived on the bus; rows that wait for their
 * consumer (`confirmBy: consumer`) are left alone. `consumer`: the consumer finished the work.
 * Idempotent: an already confirmed (or expired, or unknown) row is a no-op. Returns whether it confirmed.
 */
export async function confirmOutboxEvent(eventId: string, by: ConfirmedBy, now = new Date()): Promise<boolean> {
  return updateIfStill({
    TableName: config().tableName,
    Key: outboxKey(eventId),
    UpdateExpression: 'REMOVE GSI1PK, GSI1SK SET confirmedAt = :now, confirmedBy = :by',
    ConditionExpression: by === 'bus' ? 'attribute_exists(GSI1PK) AND attribute_not_exists(confirmBy)' : 'attribute_exists(GSI1PK)',
    ExpressionAttributeValues: { ':now': now.toISOString(), ':by': by },
  });
}

export interface SweepOptions {
  /** The sweep's clock: rows due at or before it are re-published. */
  readonly now?: Date;
  /** Upper bound of rows handled in one run (bounded work per scheduled invocation). */
  readonly maxRows?: number;
  /** Rows read per query page. */
  readonly pageSize?: number;
}

export interface SweepOutcome {
  /** Rows found unconfirmed after their due time. */
  readonly due: number;
  readonly republished: number;
  /** Rows the bus refused or that could not be read; due again next run. */
  readonly failed: number;
  /** True when the budget ran out before every shard was drained (the next run continues). */
  readonly truncated: boolean;
}

export const SWEEP_MAX_ROWS = 200;
const SWEEP_PAGE_SIZE = 25;
const PUT_EVENTS_BATCH = 10;
/** A row re-published n times is due again after 2^n x the first bound, at most an hour later. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;

interface DueRow extends OutboxRow {
  readonly PK: string;
  readonly GSI1SK: string;
  readonly republished?: number;
}

const eventIdOf = (row: DueRow) => row.PK.slice('OUTBOX#'.length);

/** A row of the due index as the sweep needs it (checked by hand: the sweeper's bundle carries no zod). */
function isDueRow(row: Row): row is Row & DueRow {
  const text = (name: string) => typeof row[name] === 'string';
  return text('PK') && text('GSI1SK') && text('source') && text('detailType') && text('detail') && (row.republished === undefined || typeof row.republished === 'number');
}

/**
 * Re-publishes outbox rows that are still unconfirmed after their due time: one paged query per shard
 * of the due index, at most `maxRows` rows per run, oldest first within a shard. Each re-published
 * row gets a new due time (exponential backoff) so a consumer that keeps failing is retried, not
 * flooded. Consumers deduplicate on `detail.eventId`, so a duplicate of a delivered event is harmless.
 */
export async function sweepOutbox(options: SweepOptions = {}): Promise<SweepOutcome> {
  const now = options.now ?? new Date();
  const budget = options.maxRows ?? SWEEP_MAX_ROWS;
  const pageSize = Math.min(options.pageSize ?? SWEEP_PAGE_SIZE, budget);
  const upper = `${now.toISOString()}$`; // every `<due ISO>#<eventId>` with due <= now sorts below
  let due = 0;
  let republished = 0;
  let failed = 0;
  let truncated = false;
  // Start at a shard that changes from run to run so a full budget never starves the last shards.
  const first = Math.floor(now.getTime() / 60_000) % OUTBOX_DUE_SHARDS;
  for (let i = 0; i < OUTBOX_DUE_SHARDS; i++) {
    const shard = (first + i) % OUTBOX_DUE_SHARDS;
    let startKey: Row | undefined;
    do {
      const left = budget - due;
      if (left <= 0) {
        truncated = true;
        break;
      }
      const page = await queryPage(
        'main',
        {
          IndexName: GSI1.name,
          KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :upper',
          ExpressionAttributeValues: { ':pk': outboxDuePartition(shard), ':upper': upper },
          Limit: Math.min(pageSize, left),
        },
        startKey,
      );
      const rows = page.rows.filter(isDueRow);
      due += page.rows.length;
      failed += page.rows.length - rows.length; // a malformed row stays due and visible
      const outcome = await republish(rows, now);
      republished += outcome.republished;
      failed += outcome.failed;
      startKey = page.lastKey;
    } while (startKey);
    if (truncated) break;
  }
  return { due, republished, failed, truncated };
}

async function republish(rows: readonly DueRow[], now: Date): Promise<{ republished: number; failed: number }> {
  let republished = 0;
  let failed = 0;
  const entries: Array<{ row: DueRow; entry: BusEntry }> = [];
  for (const row of rows) {
    try {
      entries.push({ row, entry: busEntryFromRow(row, config().eventBusName) });
    } catch {
      failed++; // a malformed row stays due and visible (the pipe would park it in its DLQ)
    }
  }
  for (let i = 0; i < entries.length; i += PUT_EVENTS_BATCH) {
    const batch = entries.slice(i, i + PUT_EVENTS_BATCH);
    const result = await eventBridgeClient().send(new PutEventsCommand({ Entries: batch.map((b) => b.entry) }));
    for (const [index, { row }] of batch.entries()) {
      if (result.Entries?.[index]?.ErrorCode) {
        failed++;
        continue;
      }
      republished++;
      await postpone(row, now);
    }
  }
  return { republished, failed };
}

/** Moves a re-published row's due time on (unless it was confirmed meanwhile). */
async function postpone(row: DueRow, now: Date): Promise<void> {
  const attempts = (row.republished ?? 0) + 1;
  const delay = Math.min(OUTBOX_REPUBLISH_AFTER_MS * 2 ** attempts, MAX_BACKOFF_MS);
  try {
    await updateRow({
      TableName: config().tableName,
      Key: outboxKey(eventIdOf(row)),
      UpdateExpression: 'SET GSI1SK = :next, republished = :attempts, republishedAt = :now',
      ConditionExpression: 'GSI1SK = :seen',
      ExpressionAttributeValues: {
        ':next': outboxDueSortKey(new Date(now.getTime() + delay), eventIdOf(row)),
        ':attempts': attempts,
        ':now': now.toISOString(),
        ':seen': row.GSI1SK,
      },
    });
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error; // confirmed (or swept) meanwhile: nothing to move
  }
}
