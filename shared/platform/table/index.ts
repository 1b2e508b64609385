/**
 * The table kit: the one module that sends DynamoDB commands (decision 0060). Transactions with guards
 * and per-item outcomes, batch reads with backoff, paged queries, one retry policy, entity declarations.
 */
export { client, type ItemKey, keyId, type Row, type TableClient, type TableRole, tableName, useClient } from './client.js';
export { entity, type Entity, RowMismatch, stored } from './entity.js';
export { batchGet, type BatchRequest, type Found, getRow, MAX_BATCH_GET_KEYS, partition, queryAll, type QueryInput, queryPage, type QueryPage, UnprocessedKeys } from './read.js';
export { backoffMs, pause, RACE, READ, type RetryPolicy, retry, untilWon } from './retry.js';
export { ConditionFailed, isConditionFailed, type ItemOutcome, MAX_TRANSACTION_ITEMS, transact, transactChunked, type TransactItem } from './transact.js';
export { deleteRows, isConditionalCheckFailed, MAX_BATCH_WRITE_ITEMS, putRow, updateIfStill, updateRow } from './write.js';
