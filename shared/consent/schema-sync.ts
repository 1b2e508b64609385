import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../platform/clients.js';
import { config } from '../platform/config.js';
import { referencesIndexPartition, schemaKey } from './keys.js';
import type { ReferenceItem, SchemaItem } from './model.js';
import { getItem } from './store.js';
import { ConditionFailed, transactWrite } from './transact.js';
import { syncConsentSchema } from './writes.js';

/**
 * The fan-out of a metamodel change (consumer of `ConsentSchemaChanged`, decision 0202): the schema's
 * current entry is copied onto its consent row in every reference of the tenant on the schema's side
 * (user schemas: user and anonymous references; tenant schemas: TENANT). A reference without a row gets
 * one as "not granted", so a new user schema is listed but never granted by this.
 *
 * Idempotent and order-independent: it copies the schema as it is *now* (not as the event says) and a
 * row never takes an older revision than it has, so redelivered, late or reordered events converge on
 * the latest entry. A reference deleted meanwhile is skipped (the write is conditional on it existing).
 */
const PARALLEL = 16;

export interface SyncOutcome {
  readonly references: number;
  readonly updated: number;
}

export async function syncSchema(tenant: string, schema: string): Promise<SyncOutcome> {
  const current = await getItem<SchemaItem>('main', schemaKey(tenant, schema));
  if (!current) return { references: 0, updated: 0 };
  const side = (reference: Pick<ReferenceItem, 'kind'>) => (reference.kind === 'tenant' ? 'tenant' : 'user');
  const references = (await tenantReferences(tenant)).filter((reference) => side(reference) === current.owner);
  let updated = 0;
  const at = new Date().toISOString();
  for (let i = 0; i < references.length; i += PARALLEL) {
    const outcomes = await Promise.all(references.slice(i, i + PARALLEL).map((reference) => syncOne(tenant, reference.ref, current, at)));
    updated += outcomes.filter(Boolean).length;
  }
  return { references: references.length, updated };
}

/** True when the row now holds this revision; false when the reference is gone or the row has a newer one. */
async function syncOne(tenant: string, ref: string, schema: SchemaItem, at: string): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await transactWrite(syncConsentSchema(tenant, ref, schema, at));
      return true;
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      if (error.indexes.length > 0) return false; // deleted reference, or a newer copy already there
      // A transaction conflict with a consent change of the same reference: try again shortly.
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
    }
  }
}

/** Every reference of the tenant (GSI1; eventually consistent, see decision 0202), with its kind. */
async function tenantReferences(tenant: string): Promise<Array<Pick<ReferenceItem, 'ref' | 'kind'>>> {
  const found: Array<Pick<ReferenceItem, 'ref' | 'kind'>> = [];
  let start: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page = await dynamoClient().send(new QueryCommand({
      TableName: config().tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': referencesIndexPartition(tenant) },
      ProjectionExpression: '#ref, kind',
      ExpressionAttributeNames: { '#ref': 'ref' },
      ExclusiveStartKey: start,
    }));
    found.push(...((page.Items ?? []) as Array<Pick<ReferenceItem, 'ref' | 'kind'>>));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}
