import { config } from '../platform/config.js';
import type { HistoryEntry } from './history.js';
import { consentKey, ENTITY, historyKey, referenceDataKeyKey, referenceKey, schemaDataKeyKey } from './keys.js';
import type { ConsentItem, ReferenceItem } from './model.js';
import type { TransactWriteItem } from './transact.js';

/** Builders of the consent context's transaction items; each states the invariant it relies on. */
const main = () => config().tableName;
const keys = () => config().keyTableName;

/**
 * Advances the reference's history head: the optimistic lock of every change to a reference. Fails
 * if anybody else changed the reference (or its consents) since it was read.
 */
export function advanceHead(
  reference: ReferenceItem,
  entry: HistoryEntry,
  set: Record<string, unknown> = {},
): TransactWriteItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':seq': entry.seq,
    ':hash': entry.hash,
    ':at': entry.at,
    ':expected': reference.historySeq,
  };
  const assignments = ['historySeq = :seq', 'historyHash = :hash', 'updatedAt = :at'];
  for (const [field, value] of Object.entries(set)) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    assignments.push(`#${field} = :${field}`);
  }
  return {
    Update: {
      TableName: main(),
      Key: referenceKey(reference.tenant, reference.ref),
      UpdateExpression: `SET ${assignments.join(', ')}`,
      ConditionExpression: 'historySeq = :expected',
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    },
  };
}

export function putHistoryEntry(tenant: string, ref: string, entry: HistoryEntry): TransactWriteItem {
  return {
    Put: {
      TableName: main(),
      Item: { ...historyKey(tenant, ref, entry.seq), entityType: ENTITY.history, tenant, ref, ...entry },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export function putConsent(consent: ConsentItem): TransactWriteItem {
  return {
    Put: {
      TableName: main(),
      Item: { ...consentKey(consent.tenant, consent.ref, consent.schema), entityType: ENTITY.consent, ...consent },
    },
  };
}

export function putReferenceDataKey(tenant: string, ref: string, wrapped: string, at: string): TransactWriteItem {
  return {
    Put: {
      TableName: keys(),
      Item: { ...referenceDataKeyKey(tenant, ref), entityType: ENTITY.referenceDataKey, wrapped, createdAt: at },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export function putSchemaKey(tenant: string, ref: string, schema: string, grantBlob: string, wrapped: string, at: string): TransactWriteItem {
  return {
    Put: {
      TableName: keys(),
      Item: { ...schemaDataKeyKey(tenant, ref, schema), entityType: ENTITY.schemaDataKey, grantBlob, wrapped, createdAt: at },
    },
  };
}

/** Crypto-shredding: the only copy of the wrapped schema key goes away (the key table has no stream). */
export function deleteSchemaKey(tenant: string, ref: string, schema: string): TransactWriteItem {
  return { Delete: { TableName: keys(), Key: schemaDataKeyKey(tenant, ref, schema) } };
}
