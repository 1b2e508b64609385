import { BatchWriteCommand, PutCommand, type PutCommandInput, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { client, type ItemKey, type Row, type TableRole, tableName } from './client.js';
import { READ, type RetryPolicy, retry } from './retry.js';

/** Thrown by a single write whose condition failed (DynamoDB's ConditionalCheckFailedException). */
export const isConditionalCheckFailed = (error: unknown): boolean => (error as Error | undefined)?.name === 'ConditionalCheckFailedException';

/** One PutItem (a `{ Put }` of a transaction item works as it is); returns the replaced item if asked. */
export async function putRow(put: PutCommandInput): Promise<Row | undefined> {
  const out = await client().send(new PutCommand(put));
  return out.Attributes;
}

/** One UpdateItem (an `{ Update }` of a transaction item works as it is). */
export async function updateRow(update: UpdateCommandInput): Promise<Row | undefined> {
  const out = await client().send(new UpdateCommand(update));
  return out.Attributes;
}

/**
 * One conditional UpdateItem whose failed condition is an answer, not an error: true when it wrote, false when
 * the item no longer is what the condition says (someone else moved it first). Other errors are thrown.
 */
export async function updateIfStill(update: UpdateCommandInput): Promise<boolean> {
  try {
    await updateRow(update);
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** DynamoDB's limit of requests per BatchWriteItem. */
export const MAX_BATCH_WRITE_ITEMS = 25;

class UnprocessedWrites extends Error {}

/** Deletes items in BatchWriteItem calls of 25, retrying what DynamoDB left unprocessed with backoff. */
export async function deleteRows(table: TableRole, keys: readonly ItemKey[], policy: Partial<RetryPolicy> = READ): Promise<void> {
  const name = tableName(table);
  for (let i = 0; i < keys.length; i += MAX_BATCH_WRITE_ITEMS) {
    let requests = keys.slice(i, i + MAX_BATCH_WRITE_ITEMS).map((k) => ({ DeleteRequest: { Key: { PK: k.PK, SK: k.SK } as Row } }));
    await retry(
      async () => {
        const out = await client().send(new BatchWriteCommand({ RequestItems: { [name]: requests } }));
        requests = (out.UnprocessedItems?.[name] ?? []) as typeof requests;
        if (requests.length > 0) throw new UnprocessedWrites(`BatchWriteItem left ${requests.length} deletes unprocessed`);
      },
      { policy, retryable: (error) => error instanceof UnprocessedWrites },
    );
  }
}
