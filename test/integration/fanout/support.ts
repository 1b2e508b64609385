import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { consentKey, referenceIndexKeys, referenceKey } from '../../../shared/consent/keys.js';
import { GENESIS_HASH } from '../../../shared/consent/model.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_NAMES } from '../../../infra/local/names.js';

/**
 * Seeding and reading helpers of the fan-out tests and of `bench/simulate-fanout.ts` (which runs outside
 * jest, hence a client of its own on `MYDATA_DYNAMODB_URL` rather than test/support/api.ts).
 */
const tableNames = { data: LOCAL_NAMES.tableName };
let client: DynamoDBDocumentClient | undefined;
export function fanoutDynamo(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.MYDATA_DYNAMODB_URL, region: LOCAL_NAMES.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  return client;
}
/** Points the helpers at another platform's DynamoDB Local (a test with a platform of its own). */
export function useFanoutDynamo(db: DynamoDBDocumentClient): void {
  client = db;
}
export function closeFanoutDynamo(): void {
  client?.destroy();
  client = undefined;
}
const testDynamo = fanoutDynamo;

/** Deterministic reference ids (valid uuids), so a seeded tenant can be checked without listing it. */
export const seededRef = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** `count` active anonymous references written straight to the table (BatchWriteItem), index entries included. */
export async function seedReferences(tenant: string, count: number, parallel = 8): Promise<string[]> {
  const refs = Array.from({ length: count }, (_, i) => seededRef(i));
  const at = new Date().toISOString();
  const batches: string[][] = [];
  for (let i = 0; i < refs.length; i += 25) batches.push(refs.slice(i, i + 25));
  const write = async (batch: string[]) => {
    let items: Record<string, unknown>[] = batch.map((ref) => ({
      PutRequest: {
        Item: {
          ...referenceKey(tenant, ref), ...referenceIndexKeys(tenant, ref), entityType: 'ConsentReference', tenant, ref, kind: 'anonymous',
          status: 'active', blocked: false, createdAt: at, updatedAt: at, historySeq: 0, historyHash: GENESIS_HASH,
        },
      },
    }));
    while (items.length > 0) {
      const out = await testDynamo().send(new BatchWriteCommand({ RequestItems: { [tableNames.data]: items as never } }));
      items = (out.UnprocessedItems?.[tableNames.data] ?? []) as Record<string, unknown>[];
    }
  };
  for (let i = 0; i < batches.length; i += parallel) await Promise.all(batches.slice(i, i + parallel).map(write));
  return refs;
}

/** The schema revision on each reference's consent row of `schema` (undefined: no row yet). BatchGetItem, 100 at a time. */
export async function consentRevisions(tenant: string, refs: readonly string[], schema: string): Promise<Map<string, number | undefined>> {
  const revisions = new Map<string, number | undefined>(refs.map((ref) => [ref, undefined]));
  const chunks: string[][] = [];
  for (let i = 0; i < refs.length; i += 100) chunks.push(refs.slice(i, i + 100));
  for (const chunk of chunks) {
    let keys: Record<string, unknown>[] = chunk.map((ref) => ({ ...consentKey(tenant, ref, schema) }));
    while (keys.length > 0) {
      const out = await testDynamo().send(new BatchGetCommand({ RequestItems: { [tableNames.data]: { Keys: keys as never, ProjectionExpression: '#ref, schemaRevision', ExpressionAttributeNames: { '#ref': 'ref' } } } }));
      for (const row of out.Responses?.[tableNames.data] ?? []) revisions.set(String(row.ref), row.schemaRevision as number | undefined);
      keys = (out.UnprocessedKeys?.[tableNames.data]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return revisions;
}

/** A partner id of the seeded subtrees (`Q` and four more characters, as the API's ids: three letters, two digits). */
export const seededPartnerId = (i: number) => {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const n = Math.floor(i / 100);
  return `Q${letters[Math.floor(n / 26) % 26]}${letters[n % 26]}${String(i % 100).padStart(2, '0')}`;
};

export interface SeededSubtree {
  /** Every seeded descendant with its parent, parents first. */
  readonly partners: Array<{ partnerId: string; parentId: string }>;
}

/**
 * `teams` organisations below `parentId` (whose path is `parentPath`), each with `perTeam` persons,
 * written straight to the table (BatchWriteItem) as the partner API writes them.
 */
export async function seedSubtree(tenant: string, parentId: string, parentPath: readonly string[], teams: number, perTeam: number, parallel = 8): Promise<SeededSubtree> {
  const { partnerItem } = await import('../../../shared/partner/model.js');
  const at = new Date().toISOString();
  const partners: Array<{ partnerId: string; parentId: string }> = [];
  const items: Record<string, unknown>[] = [];
  let next = 0;
  const add = (parent: string, path: string[], typ: 'ORGANISATION' | 'PERSON') => {
    const partnerId = seededPartnerId(next++);
    partners.push({ partnerId, parentId: parent });
    const attributes = typ === 'PERSON' ? { vorname: partnerId, nachname: 'Seed' } : { name: partnerId };
    items.push(partnerItem({ tenant, partnerId, typ, parentId: parent, path, locked: false, rechte: {}, attributes, kennzeichen: {}, lizenzen: {}, version: 1, createdAt: at, updatedAt: at } as never));
    return partnerId;
  };
  for (let team = 0; team < teams; team++) {
    const teamId = add(parentId, [...parentPath, parentId], 'ORGANISATION');
    for (let p = 0; p < perTeam; p++) add(teamId, [...parentPath, parentId, teamId], 'PERSON');
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const write = async (batch: Record<string, unknown>[]) => {
    let requests: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const out = await testDynamo().send(new BatchWriteCommand({ RequestItems: { [tableNames.data]: requests as never } }));
      requests = (out.UnprocessedItems?.[tableNames.data] ?? []) as Record<string, unknown>[];
    }
  };
  for (let i = 0; i < batches.length; i += parallel) await Promise.all(batches.slice(i, i + parallel).map(write));
  return { partners };
}

/** The stored paths of partners (BatchGetItem, 100 at a time). */
export async function storedPaths(tenant: string, ids: readonly string[]): Promise<Map<string, string[]>> {
  const { partnerKey } = await import('../../../shared/partner/keys.js');
  const paths = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] = ids.slice(i, i + 100).map((id) => ({ ...partnerKey(tenant, id) }));
    while (keys.length > 0) {
      const out = await testDynamo().send(new BatchGetCommand({ RequestItems: { [tableNames.data]: { Keys: keys as never, ProjectionExpression: 'partnerId, #path', ExpressionAttributeNames: { '#path': 'path' } } } }));
      for (const row of out.Responses?.[tableNames.data] ?? []) paths.set(String(row.partnerId), row.path as string[]);
      keys = (out.UnprocessedKeys?.[tableNames.data]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return paths;
}
