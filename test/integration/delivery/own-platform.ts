import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadIssuer } from '../../../infra/local/issuer.js';
import { LOCAL_NAMES } from '../../../infra/local/names.js';
import { referenceKey } from '../../../shared/consent/keys.js';
import { OUTBOX_DUE_SHARDS, outboxDuePartition } from '../../../shared/platform/outbox.js';
import { checkAgainstDescription } from '../../support/openapi-check.js';
import { spawnPlatform, stopPlatform } from '../../support/platform-process.js';

/**
 * Fault-injection tests take parts of the platform down (relay, bus, a consumer); they do so on a
 * platform of their own (`npm start --in-memory` in a child process, like the suite's), never on the
 * one other test files share.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
type Json = any;

export interface OwnPlatform {
  readonly apiUrl: string;
  readonly eventsUrl: string;
  readonly controlUrl: string;
  readonly dynamoUrl: string;
  readonly db: DynamoDBDocumentClient;
  sign(claims: Record<string, string>): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: Json }>;
  control(action: string, body?: unknown): Promise<Json>;
  stop(): Promise<void>;
}

export async function startOwnPlatform(): Promise<OwnPlatform> {
  const scratch = mkdtempSync(join(tmpdir(), 'mydata-delivery-'));
  const issuerKeyFile = join(scratch, 'issuer-key.json');
  const { child, endpoints } = await spawnPlatform(['--no-seed', '--issuer-key', issuerKeyFile], 'ignore');
  const issuer = await loadIssuer(issuerKeyFile);
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: endpoints.dynamoUrl, region: LOCAL_NAMES.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const call: OwnPlatform['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${endpoints.apiUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    const answer = { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, text };
    checkAgainstDescription(method, path, answer);
    return { status: answer.status, body: answer.body };
  };
  return {
    apiUrl: endpoints.apiUrl,
    eventsUrl: endpoints.eventsUrl,
    controlUrl: endpoints.controlUrl,
    dynamoUrl: endpoints.dynamoUrl,
    db,
    sign: (claims) => issuer.sign(claims, '1h'),
    call,
    async control(action, body) {
      const response = await fetch(`${endpoints.controlUrl}/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await response.json();
      if (!response.ok) throw new Error(`control ${action}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    async stop() {
      db.destroy();
      await stopPlatform(child);
    },
  };
}

/** The reference's stored status (`pending`, `active`), or undefined when it does not exist. */
export async function referenceStatus(platform: OwnPlatform, tenant: string, ref: string): Promise<string | undefined> {
  const { Item } = await platform.db.send(new GetCommand({ TableName: LOCAL_NAMES.tableName, Key: referenceKey(tenant, ref), ConsistentRead: true }));
  return Item?.status as string | undefined;
}

/** Outbox rows still waiting for confirmation (the sweeper's due index, every shard). */
export async function unconfirmedOutboxRows(platform: OwnPlatform): Promise<Array<Record<string, Json>>> {
  const rows: Array<Record<string, Json>> = [];
  for (let shard = 0; shard < OUTBOX_DUE_SHARDS; shard++) {
    const page = await platform.db.send(
      new QueryCommand({ TableName: LOCAL_NAMES.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': outboxDuePartition(shard) } }),
    );
    rows.push(...(page.Items ?? []));
  }
  return rows;
}

export async function busEvents(platform: OwnPlatform): Promise<Array<{ id: string; 'detail-type': string; detail: Record<string, Json> }>> {
  return (await (await fetch(`${platform.eventsUrl}/_local/events`)).json()) as never;
}

export async function deadLetters(platform: OwnPlatform): Promise<Array<{ ruleId: string; event: { detail: Record<string, Json> } }>> {
  return (await (await fetch(`${platform.eventsUrl}/_local/dead-letters`)).json()) as never;
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitUntil: condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
