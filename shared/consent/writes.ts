import { config } from '../platform/config.js';
import type { HistoryEntry } from './history.js';
import { consentKey, ENTITY, historyKey, referenceDataKeyKey, referenceKey, schemaDataKeyKey, stagedChangeIndexKeys, stagedChangeKey } from './keys.js';
import type { ConsentItem, ReferenceItem, SchemaItem } from './model.js';
import { STAGED_ATTRIBUTES } from './staging.js';
import type { TransactItem } from '../platform/table/index.js';

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
): TransactItem {
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

export function putHistoryEntry(tenant: string, ref: string, entry: HistoryEntry): TransactItem {
  return {
    Put: {
      TableName: main(),
      Item: { ...historyKey(tenant, ref, entry.seq), entityType: ENTITY.history, tenant, ref, ...entry },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Values of a consent row that copy its schema's metamodel entry (decision 0202). */
function schemaCopy(schema: SchemaItem) {
  return {
    ':class': schema.consentClass,
    ':title': schema.title,
    ':description': schema.description,
    ':active': schema.active,
    ':revision': schema.revision ?? 0,
  };
}
const COPY_SCHEMA = 'consentClass = :class, schemaTitle = :title, schemaDescription = :description, schemaActive = :active, schemaRevision = :revision';
/** A row never goes back to an older copy of its schema: the writer re-reads the metamodel and retries. */
const NOT_OLDER = 'attribute_not_exists(schemaRevision) OR schemaRevision <= :revision';

/** Writes a consent (granted or revoked) with the copy of `schema` it was decided on; any staged value goes (decision 0207). */
export function putConsent(consent: ConsentItem, schema: SchemaItem): TransactItem {
  return {
    Update: {
      TableName: main(),
      Key: consentKey(consent.tenant, consent.ref, consent.schema),
      UpdateExpression: `SET entityType = :entity, tenant = :tenant, #ref = :ref, #schema = :schema, granted = :granted, grantBlob = :blob, updatedAt = :at, ${COPY_SCHEMA} REMOVE ${STAGED_ATTRIBUTES.join(', ')}`,
      ConditionExpression: NOT_OLDER,
      ExpressionAttributeNames: { '#ref': 'ref', '#schema': 'schema' },
      ExpressionAttributeValues: {
        ':entity': ENTITY.consent, ':tenant': consent.tenant, ':ref': consent.ref, ':schema': consent.schema,
        ':granted': consent.granted, ':blob': consent.grantBlob, ':at': consent.updatedAt, ...schemaCopy(schema),
      },
    },
  };
}

/**
 * Stages a consent change too large for one transaction (decision 0207): the committed values become
 * those the change was decided on (`effective`, which folds in an earlier change that committed but was
 * not settled yet), the new ones wait beside them under the change's hash until the head commits it.
 * Written only under the reference guard (`referenceGuard`), so it never overwrites a newer change.
 */
export function stageConsent(consent: ConsentItem, effective: ConsentItem | undefined, schema: SchemaItem, hash: string): TransactItem {
  return {
    Update: {
      TableName: main(),
      Key: consentKey(consent.tenant, consent.ref, consent.schema),
      UpdateExpression: 'SET entityType = :entity, tenant = :tenant, #ref = :ref, #schema = :schema, granted = :was, grantBlob = :wasBlob, '
        + `updatedAt = :wasAt, stagedHash = :hash, stagedGranted = :granted, stagedBlob = :blob, stagedAt = :at, ${COPY_SCHEMA}`,
      ConditionExpression: NOT_OLDER,
      ExpressionAttributeNames: { '#ref': 'ref', '#schema': 'schema' },
      ExpressionAttributeValues: {
        ':entity': ENTITY.consent, ':tenant': consent.tenant, ':ref': consent.ref, ':schema': consent.schema,
        ':was': effective?.granted ?? false, ':wasBlob': effective?.grantBlob ?? null, ':wasAt': effective?.updatedAt ?? consent.updatedAt,
        ':hash': hash, ':granted': consent.granted, ':blob': consent.grantBlob, ':at': consent.updatedAt, ...schemaCopy(schema),
      },
    },
  };
}

/** The head of a staged change: advances the history and marks the change committed but not yet settled. */
export function advanceHeadStaged(reference: ReferenceItem, entry: HistoryEntry): TransactItem {
  const { Update } = advanceHead(reference, entry);
  return {
    Update: {
      ...Update!,
      UpdateExpression: `${Update!.UpdateExpression} ADD unsettled :staged`,
      ExpressionAttributeValues: { ...Update!.ExpressionAttributeValues, ':staged': new Set([entry.hash]) },
    },
  };
}

/** Settles a staged row of a committed change: its staged values become the committed ones (skipped once a later change wrote the row). */
export function settleConsent(tenant: string, ref: string, schema: string, hash: string): TransactItem {
  return {
    Update: {
      TableName: main(),
      Key: consentKey(tenant, ref, schema),
      UpdateExpression: `SET granted = stagedGranted, grantBlob = stagedBlob, updatedAt = stagedAt REMOVE ${STAGED_ATTRIBUTES.join(', ')}`,
      ConditionExpression: 'stagedHash = :hash',
      ExpressionAttributeValues: { ':hash': hash },
    },
  };
}

/** The schema key of a revoked grant, unless a later grant has replaced it since. */
export function deleteSchemaKeyOf(tenant: string, ref: string, schema: string, grantBlob: string): TransactItem {
  return {
    Delete: {
      TableName: keys(),
      Key: schemaDataKeyKey(tenant, ref, schema),
      ConditionExpression: 'attribute_not_exists(PK) OR grantBlob = :blob',
      ExpressionAttributeValues: { ':blob': grantBlob },
    },
  };
}

/**
 * What a staged change leaves to finish once its head commits (decision 0209): written with the first staging
 * chunk, so a change that staged anything has one, found by the sweeper in the sparse `GSI1` partition by
 * its time. Aliases whose keys a revoke shreds are listed here: they are written only after the commit.
 */
export interface StagedChangeRecord {
  readonly tenant: string;
  readonly ref: string;
  readonly hash: string;
  readonly granted: boolean;
  readonly at: string;
  readonly aliasKeys: ReadonlyArray<{ readonly ref: string; readonly schema: string }>;
}

export function putStagedChange(change: StagedChangeRecord): TransactItem {
  return {
    Put: {
      TableName: main(),
      Item: {
        ...stagedChangeKey(change.tenant, change.ref, change.hash),
        ...stagedChangeIndexKeys(change.tenant, change.ref, change.hash, change.at),
        entityType: ENTITY.stagedChange,
        ...change,
        aliasKeys: change.aliasKeys.map(({ ref, schema }) => ({ ref, schema })),
      },
    },
  };
}

/** A staged row of a change whose head never committed: the staged values go (the committed ones never changed). */
export function rollBackStagedConsent(tenant: string, ref: string, schema: string, hash: string): TransactItem {
  return {
    Update: {
      TableName: main(),
      Key: consentKey(tenant, ref, schema),
      UpdateExpression: `REMOVE ${STAGED_ATTRIBUTES.join(', ')}`,
      ConditionExpression: 'stagedHash = :hash',
      ExpressionAttributeValues: { ':hash': hash },
    },
  };
}

/** The aliases' own keys of revoked schemas, and their rows saying so (a schema gone from the metamodel: the key alone). */
export function aliasRevocationWrites(
  tenant: string,
  aliasKeys: ReadonlyArray<{ ref: string; schema: string }>,
  schemaOf: ReadonlyMap<string, SchemaItem>,
  at: string,
): TransactItem[] {
  return aliasKeys.flatMap(({ ref: alias, schema }) => {
    const schemaItem = schemaOf.get(schema);
    const key = deleteSchemaKey(tenant, alias, schema);
    if (!schemaItem) return [key];
    return [putConsent({ tenant, ref: alias, schema, consentClass: schemaItem.consentClass, granted: false, grantBlob: null, updatedAt: at }, schemaItem), key];
  });
}

/** Every row of the change is settled: the reference forgets it (while it exists). */
export function forgetSettled(tenant: string, ref: string, hash: string) {
  return {
    TableName: main(),
    Key: referenceKey(tenant, ref),
    UpdateExpression: 'DELETE unsettled :hash',
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeValues: { ':hash': new Set([hash]) },
  };
}

/**
 * The fan-out's write: the current copy of `schema` on the reference's consent row, created as "not
 * granted" when the reference never had one (so a new schema is listed, but never granted by it). Only
 * while the reference exists, so a deletion leaves no row behind it.
 */
export function syncConsentSchema(tenant: string, ref: string, schema: SchemaItem, at: string): TransactItem[] {
  return [
    { ConditionCheck: { TableName: main(), Key: referenceKey(tenant, ref), ConditionExpression: 'attribute_exists(PK)' } },
    {
      Update: {
        TableName: main(),
        Key: consentKey(tenant, ref, schema.schema),
        UpdateExpression: 'SET entityType = :entity, tenant = :tenant, #ref = :ref, #schema = :schema, '
          + 'granted = if_not_exists(granted, :false), grantBlob = if_not_exists(grantBlob, :null), '
          + `updatedAt = if_not_exists(updatedAt, :at), ${COPY_SCHEMA}`,
        ConditionExpression: NOT_OLDER,
        ExpressionAttributeNames: { '#ref': 'ref', '#schema': 'schema' },
        ExpressionAttributeValues: {
          ':entity': ENTITY.consent, ':tenant': tenant, ':ref': ref, ':schema': schema.schema,
          ':false': false, ':null': null, ':at': at, ...schemaCopy(schema),
        },
      },
    },
  ];
}

export function putReferenceDataKey(tenant: string, ref: string, wrapped: string, at: string): TransactItem {
  return {
    Put: {
      TableName: keys(),
      Item: { ...referenceDataKeyKey(tenant, ref), entityType: ENTITY.referenceDataKey, wrapped, createdAt: at },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/**
 * A schema key, wrapped under the reference's data key. Write it only with `schemaKeyGuards(reference)`
 * as the transaction's guards: a schema key exists only while its reference and data key do, so a grant
 * racing a deletion (even one written in chunks) cannot leave orphan keys.
 */
export function putSchemaKey(tenant: string, ref: string, schema: string, grantBlob: string, wrapped: string, at: string): TransactItem {
  return {
    Put: {
      TableName: keys(),
      Item: { ...schemaDataKeyKey(tenant, ref, schema), entityType: ENTITY.schemaDataKey, grantBlob, wrapped, createdAt: at },
    },
  };
}

/**
 * The conditions of every transaction writing keys of `reference` (see `transactWrite`'s guards): the
 * reference is as it was read (exists, same history head) and its data key exists. Where the same
 * transaction advances the head or creates the data key, that write's own condition takes their place.
 */
export function schemaKeyGuards(reference: ReferenceItem): TransactItem[] {
  return [
    referenceGuard(reference),
    { ConditionCheck: { TableName: keys(), Key: referenceDataKeyKey(reference.tenant, reference.ref), ConditionExpression: 'attribute_exists(PK)' } },
  ];
}

/** The reference is as it was read: exists, with the same history head. */
export function referenceGuard(reference: ReferenceItem): TransactItem {
  return {
    ConditionCheck: {
      TableName: main(),
      Key: referenceKey(reference.tenant, reference.ref),
      ConditionExpression: 'historySeq = :expected',
      ExpressionAttributeValues: { ':expected': reference.historySeq },
    },
  };
}

/** Crypto-shredding: the only copy of the wrapped schema key goes away (the key table has no stream). */
export function deleteSchemaKey(tenant: string, ref: string, schema: string): TransactItem {
  return { Delete: { TableName: keys(), Key: schemaDataKeyKey(tenant, ref, schema) } };
}
