import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../platform/clients.js';

export type TransactWriteItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of items per TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * Thrown when a condition of the transaction failed; `indexes` are the positions (in the list given)
 * whose condition failed, so callers can tell "someone changed the reference" from "already exists".
 */
export class ConditionFailed extends Error {
  constructor(readonly indexes: readonly number[]) {
    super('Transaction condition failed');
  }
}

/**
 * Writes `head` and `tail` atomically when they fit one transaction. Past the item limit the tail
 * goes first in chunks and `head` (which carries the guarding conditions, the history entry and
 * the outbox record) commits last, so nobody sees the change announced before it is complete.
 *
 * `guards` (ConditionChecks) go into every transaction that carries tail items, so a chunk is written
 * only while what the change was decided on still holds (e.g. the reference unchanged and its data key
 * present: `schemaKeyGuards`). A guard is left out of a transaction that itself writes the guarded item
 * (DynamoDB allows one operation per item; that write carries its own condition).
 */
export async function transactWrite(head: TransactWriteItem[], tail: TransactWriteItem[] = [], guards: TransactWriteItem[] = []): Promise<void> {
  if (head.length + tail.length + guards.length <= MAX_TRANSACTION_ITEMS) return send(guarded([...head, ...tail], guards));
  const size = MAX_TRANSACTION_ITEMS - guards.length;
  for (let i = 0; i < tail.length; i += size) {
    await send(guarded(tail.slice(i, i + size), guards), head.length + i);
  }
  await send(head);
}

/** Table and key an item of a transaction addresses. */
function target(item: TransactWriteItem): string {
  const operation = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  const key = (item.Put ? item.Put.Item : (operation as { Key?: Record<string, unknown> } | undefined)?.Key) ?? {};
  return `${operation?.TableName}\u0000${String(key.PK)}\u0000${String(key.SK)}`;
}

function guarded(items: TransactWriteItem[], guards: TransactWriteItem[]): TransactWriteItem[] {
  if (guards.length === 0) return items;
  const written = new Set(items.map(target));
  return [...items, ...guards.filter((guard) => !written.has(target(guard)))];
}

async function send(items: TransactWriteItem[], offset = 0): Promise<void> {
  try {
    await dynamoClient().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException || (error as Error).name === 'TransactionCanceledException') {
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i + offset] : []));
      if (failed.length > 0) throw new ConditionFailed(failed);
      // TransactionConflict: another transaction touched the same items; treat as a lost race.
      if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new ConditionFailed([]);
    }
    throw error;
  }
}

/** Runs `attempt` until it does not lose a race, with jittered backoff; then gives up with `onExhausted`. */
export async function withRetries<T>(attempt: () => Promise<T>, onExhausted: () => Error, tries = 12): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConditionFailed) || i + 1 >= tries) {
        throw error instanceof ConditionFailed ? onExhausted() : error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(400, 20 * 2 ** i)));
    }
  }
}
