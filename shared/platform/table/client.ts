import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../clients.js';
import { config } from '../config.js';
import { keyTable, mainTable } from '../table-design.js';

/** What the kit needs of a client: `send`. Tests wrap the real one to inject a single fault. */
export type TableClient = Pick<DynamoDBDocumentClient, 'send'>;

let override: TableClient | undefined;

/** The client every table call goes through (the shared SDK client unless a test put its wrapper in). */
export const client = (): TableClient => override ?? dynamoClient();

/** For tests only: route the kit's calls through `wrapped` until `restore` is called. */
export function useClient(wrapped: TableClient): () => void {
  override = wrapped;
  return () => {
    override = undefined;
  };
}

/** The two tables by their role; names are configuration. */
export type TableRole = 'main' | 'keys';
export const tableName = (role: TableRole): string => (role === 'main' ? config().tableName : config().keyTableName);
export const tableDesign = (role: TableRole) => (role === 'main' ? mainTable : keyTable);

/** Primary key of an item in either table. */
export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

export type Row = Record<string, unknown>;

export const keyId = (key: { PK: unknown; SK: unknown }): string => `${String(key.PK)}\u0000${String(key.SK)}`;
