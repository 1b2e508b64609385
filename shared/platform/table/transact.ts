import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { client, keyId } from './client.js';

/** One item of a transaction (`{ Put }`, `{ Update }`, `{ Delete }` or `{ ConditionCheck }`). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of items per TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * Why DynamoDB cancelled one item of a transaction, in our words: `ok` (nothing wrong with this item),
 * `condition` (its condition failed), `conflict` (another transaction held it: a lost race),
 * `throttled`, or `other` (validation, item size, ...).
 */
export type ItemOutcome = 'ok' | 'condition' | 'conflict' | 'throttled' | 'other';

const OUTCOMES: Record<string, ItemOutcome> = {
  None: 'ok',
  ConditionalCheckFailed: 'condition',
  TransactionConflict: 'conflict',
  ThrottlingError: 'throttled',
  ProvisionedThroughputExceeded: 'throttled',
  RequestLimitExceeded: 'throttled',
};

/**
 * A transaction was cancelled because a condition failed or it lost a race to another transaction
 * (other cancellations, e.g. validation, are thrown as DynamoDB threw them). `outcomes[i]` says what
 * happened to the i-th item of the list given (positions count across chunks of a chunked write);
 * `indexes` are the positions whose condition failed, so a caller tells "someone changed the
 * reference" from "already exists".
 */
export class ConditionFailed extends Error {
  readonly indexes: readonly number[];
  constructor(readonly outcomes: readonly ItemOutcome[]) {
    super(`Transaction cancelled: ${outcomes.join(', ')}`);
    this.name = 'ConditionFailed';
    this.indexes = outcomes.flatMap((outcome, i) => (outcome === 'condition' ? [i] : []));
  }

  /** Did the condition of item `index` fail? */
  failedAt(index: number): boolean {
    return this.outcomes[index] === 'condition';
  }

  /** Did a condition fail among `count` items from `from`? */
  failedIn(from: number, count: number): boolean {
    return this.indexes.some((i) => i >= from && i < from + count);
  }

  /** Lost a race to a concurrent transaction (no condition of ours failed). */
  get conflict(): boolean {
    return this.indexes.length === 0;
  }
}

export const isConditionFailed = (error: unknown): error is ConditionFailed => error instanceof ConditionFailed;

/**
 * One TransactWriteItems of `items` (positions in `ConditionFailed` are counted from `offset`).
 * `guards` (ConditionChecks) are appended, except for an item the transaction itself writes (DynamoDB
 * allows one operation per item; that write carries its own condition).
 */
export async function transact(items: readonly TransactItem[], guards: readonly TransactItem[] = [], offset = 0): Promise<void> {
  const all = guarded(items, guards);
  try {
    await client().send(new TransactWriteCommand({ TransactItems: all }));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException || (error as Error).name === 'TransactionCanceledException')) throw error;
    const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
    const outcomes: ItemOutcome[] = [...Array(offset).fill('ok'), ...reasons.map((r) => OUTCOMES[r.Code ?? 'None'] ?? 'other')];
    if (!outcomes.some((o) => o === 'condition' || o === 'conflict')) throw error;
    throw new ConditionFailed(outcomes);
  }
}

/**
 * Writes `head` and `tail` atomically when they fit one transaction. Past the item limit the tail goes
 * first in chunks and `head` (which carries the guarding conditions, the history entry and the outbox
 * record) commits last, so nobody sees the change announced before it is complete. `guards` go into
 * every transaction that carries tail items, so a chunk is written only while what the change was
 * decided on still holds. Positions in `ConditionFailed` count head first, then tail.
 */
export async function transactChunked(head: readonly TransactItem[], tail: readonly TransactItem[] = [], guards: readonly TransactItem[] = []): Promise<void> {
  if (head.length + tail.length === 0) return;
  if (head.length + tail.length + guards.length <= MAX_TRANSACTION_ITEMS) return transact([...head, ...tail], guards);
  const size = MAX_TRANSACTION_ITEMS - guards.length;
  for (let i = 0; i < tail.length; i += size) {
    await transact(tail.slice(i, i + size), guards, head.length + i);
  }
  if (head.length > 0) await transact(head);
}

/** Table and key an item of a transaction addresses. */
function target(item: TransactItem): string {
  const operation = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  const key = (item.Put ? item.Put.Item : (operation as { Key?: Record<string, unknown> } | undefined)?.Key) ?? {};
  return `${operation?.TableName}\u0000${keyId({ PK: key.PK, SK: key.SK })}`;
}

function guarded(items: readonly TransactItem[], guards: readonly TransactItem[]): TransactItem[] {
  if (guards.length === 0) return [...items];
  const written = new Set(items.map(target));
  return [...items, ...guards.filter((guard) => !written.has(target(guard)))];
}
