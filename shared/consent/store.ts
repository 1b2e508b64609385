import * as z from 'zod/mini';
import { batchGet, deleteRows, entity, getRow, partition, queryAll, queryPage, type Row, stored } from '../platform/table/index.js';
import { GSI1 } from '../platform/table-design.js';
import { type HistoryEntry, historyEntryShape } from './history.js';
import {
  CONSENT_SK_PREFIX,
  consentKey,
  ENTITY,
  historyKey,
  historyPartition,
  isValidUserId,
  type ItemKey,
  metamodelPartition,
  REFERENCE_SK,
  referenceDataKeyKey,
  referenceKey,
  referencePartition,
  referencesIndexPartitions,
  schemaDataKeyKey,
  schemaKey,
  stagedChangeKey,
  userClaimKey,
} from './keys.js';
import type { ConsentRow, ReferenceItem, SchemaItem } from './model.js';
import { effectiveConsent } from './staging.js';

/**
 * Reads of the consent context, on the table kit (decision 0060). Every read that decides a write is
 * strongly consistent; every row is parsed against its entity's declaration before the domain sees it.
 */

/** A consent reference: the optimistic lock (history head) of everything below it. GSI1 lists a tenant's references. */
export const Reference = entity({
  type: ENTITY.reference,
  table: 'main',
  key: referenceKey,
  indexes: [GSI1],
  row: z.looseObject({
    tenant: z.string(),
    ref: z.string(),
    kind: z.enum(['user', 'anonymous', 'tenant']),
    status: z.enum(['pending', 'active']),
    blocked: z.boolean(),
    leader: z.optional(z.string()),
    aliases: z.optional(z.array(z.string())),
    user: z.optional(z.string()),
    tokenHash: z.optional(z.string()),
    requested: z.optional(z.object({ classes: z.optional(z.array(z.string())), schemas: z.optional(z.array(z.string())) })),
    createdAt: z.string(),
    updatedAt: z.string(),
    historySeq: z.number(),
    historyHash: z.string(),
  }),
});

/** A consent row: the consent and the copy of its schema's metamodel entry (decision 0202). */
export const Consent = entity({
  type: ENTITY.consent,
  table: 'main',
  key: consentKey,
  row: z.looseObject({
    tenant: z.string(),
    ref: z.string(),
    schema: z.string(),
    consentClass: z.string(),
    granted: z.boolean(),
    grantBlob: z.nullable(z.string()),
    updatedAt: z.string(),
    schemaTitle: z.optional(z.string()),
    schemaDescription: z.optional(z.string()),
    schemaActive: z.optional(z.boolean()),
    schemaRevision: z.optional(z.number()),
  }),
});

/** A schema of the tenant's metamodel. */
export const Schema = entity({
  type: ENTITY.schema,
  table: 'main',
  key: schemaKey,
  row: z.looseObject({
    tenant: z.string(),
    schema: z.string(),
    consentClass: z.string(),
    owner: z.enum(['user', 'tenant']),
    title: z.string(),
    description: z.string(),
    grantedByDefault: z.optional(z.boolean()),
    active: z.boolean(),
    revision: z.optional(z.number()),
    updatedAt: z.string(),
  }),
});

/** One entry of a reference's tamper-evident history. */
export const History = entity({
  type: ENTITY.history,
  table: 'main',
  key: historyKey,
  row: z.looseObject(historyEntryShape),
});

/** The user's claim on its reference (one reference per user and tenant). */
export const UserClaim = entity({ type: ENTITY.userClaim, table: 'main', key: userClaimKey, row: z.looseObject({ ref: z.string() }) });

/** The reference's data key, wrapped by KMS (key table). */
export const ReferenceDataKey = entity({
  type: ENTITY.referenceDataKey,
  table: 'keys',
  key: referenceDataKeyKey,
  row: z.looseObject({ PK: z.string(), SK: z.string(), wrapped: z.string() }),
});

/** A schema key, wrapped under the reference's data key, with the grant it belongs to (key table). */
export const SchemaDataKey = entity({
  type: ENTITY.schemaDataKey,
  table: 'keys',
  key: schemaDataKeyKey,
  row: z.looseObject({ PK: z.string(), SK: z.string(), wrapped: z.string(), grantBlob: z.string() }),
});

/** A staged change not yet settled or rolled back (decision 0209; `StagedChangeRecord` in writes.ts). */
export const StagedChange = entity({
  type: ENTITY.stagedChange,
  table: 'main',
  key: stagedChangeKey,
  indexes: [GSI1],
  row: z.looseObject({
    tenant: z.string(),
    ref: z.string(),
    hash: z.string(),
    granted: z.boolean(),
    at: z.string(),
    aliasKeys: z.array(z.object({ ref: z.string(), schema: z.string() })),
  }),
});

/** Any row of a reference's key partition (its data key and schema keys). */
const KeyRow = z.looseObject({ PK: z.string(), SK: z.string(), wrapped: stored(z.string()) });

const parseConsentRow = (row: Row): ConsentRow => Consent.parse(row);
const parseReference = (row: Row): ReferenceItem => Reference.parse(row);
const parseSchema = (row: Row): SchemaItem => Schema.parse(row);
const parseHistory = (row: Row): HistoryEntry => History.parse(row);

export async function getReference(tenant: string, ref: string): Promise<ReferenceItem | undefined> {
  const row = await getRow('main', Reference.key(tenant, ref));
  return row && parseReference(row);
}

export interface ReferencePartition {
  readonly reference?: ReferenceItem;
  readonly consents: ConsentRow[];
}

/** The reference and all its consents (as they are: staged values only once committed): one Query of its partition. */
export async function loadReferencePartition(tenant: string, ref: string): Promise<ReferencePartition> {
  const rows = await queryAll('main', partition(referencePartition(tenant, ref)));
  const row = rows.find((r) => r.SK === REFERENCE_SK);
  const reference = row && parseReference(row);
  // A change staged over several transactions counts once its head committed it (decision 0207).
  return {
    reference,
    consents: rows.filter((r) => String(r.SK).startsWith(CONSENT_SK_PREFIX)).map((r) => effectiveConsent(parseConsentRow(r), reference)),
  };
}

/** The tenant's whole metamodel (active and removed schemas): one Query. */
export async function loadMetamodel(tenant: string): Promise<SchemaItem[]> {
  return (await queryAll('main', partition(metamodelPartition(tenant)))).map(parseSchema);
}

/** One schema of the metamodel, strongly consistent. */
export async function getSchema(tenant: string, schema: string): Promise<SchemaItem | undefined> {
  const row = await getRow('main', Schema.key(tenant, schema));
  return row && parseSchema(row);
}

/** A reference as the tenant's reference index lists it: its id and kind. */
export type IndexedReference = Pick<ReferenceItem, 'ref' | 'kind'>;

const indexQuery = (pk: string, limit?: number) => ({
  ...partition(pk, undefined, GSI1),
  ProjectionExpression: '#ref, kind',
  ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#ref': 'ref' },
  ...(limit !== undefined ? { Limit: limit } : {}),
});
const IndexedRow = z.object({ ref: z.string(), kind: Reference.row.shape.kind });
const parseIndexed = (row: Row): IndexedReference => z.parse(IndexedRow, row);

/**
 * Every reference of the tenant (GSI1; eventually consistent, see decision 0202), with its kind: every
 * shard of the index (decision 0206) read in parallel, merged.
 */
export async function listTenantReferences(tenant: string): Promise<IndexedReference[]> {
  const shards = await Promise.all(referencesIndexPartitions(tenant).map((pk) => queryAll('main', indexQuery(pk))));
  return shards.flat().map(parseIndexed);
}

/** Where a listing of the tenant's references stands, per shard: not started (absent), after a key, or done (`true`). */
const ShardCursor = z.record(z.string(), z.union([z.literal(true), z.record(z.string(), z.string())]));
const encodeCursor = (state: Record<string, true | Row>) => Buffer.from(JSON.stringify(state)).toString('base64url');
const decodeCursor = (cursor: string) => z.parse(ShardCursor, JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));

export interface TenantReferencesPage {
  readonly references: IndexedReference[];
  /** Opaque; absent when every shard has been read to its end. */
  readonly cursor?: string;
}

/**
 * One page of the tenant's references (the paged fan-outs' reader): one Query on every shard not yet
 * read to its end, in parallel, each asking for its share of `limit` (so a page holds at most
 * `max(limit, shards)` references and costs one round trip). `cursor` is the previous page's; a malformed
 * one is refused (zod). Every reference is listed exactly once across the pages.
 */
export async function listTenantReferencesPage(tenant: string, cursor?: string, limit = 100): Promise<TenantReferencesPage> {
  const state: Record<string, true | Row> = cursor === undefined ? {} : decodeCursor(cursor);
  const open = referencesIndexPartitions(tenant).map((pk, shard) => ({ pk, shard: String(shard) })).filter(({ shard }) => state[shard] !== true);
  // `limit` split over the open shards (the first ones take the remainder); at least one each.
  const share = (i: number) => Math.max(1, Math.floor(limit / open.length) + (i < limit % open.length ? 1 : 0));
  const pages = await Promise.all(open.map(({ pk, shard }, i) => {
    const after = state[shard];
    return queryPage('main', indexQuery(pk, share(i)), after === undefined || after === true ? undefined : after);
  }));
  const next: Record<string, true | Row> = { ...state };
  open.forEach(({ shard }, i) => {
    next[shard] = pages[i].lastKey ?? true;
  });
  const done = referencesIndexPartitions(tenant).every((_, shard) => next[String(shard)] === true);
  return { references: pages.flatMap((page) => page.rows.map(parseIndexed)), ...(done ? {} : { cursor: encodeCursor(next) }) };
}

/** The user's reference; none for an id that can never have one (over-long: no key could hold it). */
export async function getUserClaim(tenant: string, user: string): Promise<string | undefined> {
  if (!isValidUserId(user)) return undefined;
  return UserClaim.parseOptional(await getRow('main', UserClaim.key(tenant, user)))?.ref;
}

/** One row by key (strongly consistent), for the idempotency and metamodel readers (their rows are not declared yet). */
export async function getItem<T>(table: 'main' | 'keys', key: ItemKey): Promise<T | undefined> {
  return (await getRow(table, key)) as T | undefined;
}

export interface StoredDataKey {
  readonly wrapped: string;
}
export interface StoredSchemaKey {
  readonly wrapped: string;
  readonly grantBlob: string;
}

/** The wrapped data key of a reference and the wrapped keys of some of its schemas: one BatchGet. */
export async function loadKeys(tenant: string, ref: string, schemas: readonly string[]) {
  const found = await batchGet([{ table: 'keys', keys: [ReferenceDataKey.key(tenant, ref), ...schemas.map((s) => SchemaDataKey.key(tenant, ref, s))] }]);
  const dataKey: StoredDataKey | undefined = ReferenceDataKey.parseOptional(found.get('keys', ReferenceDataKey.key(tenant, ref)));
  const schemaKeys = new Map<string, StoredSchemaKey>();
  for (const schema of schemas) {
    const row = SchemaDataKey.parseOptional(found.get('keys', SchemaDataKey.key(tenant, ref, schema)));
    if (row) schemaKeys.set(schema, row);
  }
  return { dataKey, schemaKeys };
}

/**
 * Which of `refs` still hold a wrapped key for which of `schemas` (a merged reference's aliases, on a
 * revoke): BatchGets of at most 100 keys, strongly consistent. Pairs `{ref, schema}` that exist.
 */
export async function existingSchemaKeys(tenant: string, refs: readonly string[], schemas: readonly string[]): Promise<Array<{ ref: string; schema: string }>> {
  const wanted = refs.flatMap((ref) => schemas.map((schema) => ({ ref, schema, key: SchemaDataKey.key(tenant, ref, schema) })));
  const found = await batchGet([{ table: 'keys', keys: wanted.map((w) => w.key), attributes: ['PK', 'SK'] }]);
  return wanted.filter(({ key }) => found.get('keys', key)).map(({ ref, schema }) => ({ ref, schema }));
}

/**
 * Up to `count` history entries in sequence order, starting at `fromSeq` (inclusive): one page of the
 * chain (strongly consistent; several Query calls only when DynamoDB's 1 MB page ends first).
 */
export async function loadHistoryFrom(tenant: string, ref: string, fromSeq: number, count: number): Promise<HistoryEntry[]> {
  const rows = await queryAll(
    'main',
    {
      KeyConditionExpression: 'PK = :pk AND SK >= :from',
      ExpressionAttributeValues: { ':pk': historyPartition(tenant, ref), ':from': historyKey(tenant, ref, fromSeq).SK },
    },
    count,
  );
  return rows.map(parseHistory);
}

/** Every key-table item of a reference (its data key and all schema keys). */
export async function loadKeyPartition(tenant: string, ref: string): Promise<Array<{ PK: string; SK: string; wrapped?: string }>> {
  const rows = await queryAll('keys', partition(referencePartition(tenant, ref)));
  return rows.map((row) => {
    const { PK, SK, wrapped } = z.parse(KeyRow, row);
    return wrapped ? { PK, SK, wrapped } : { PK, SK };
  });
}

/** Deletes items in batches of 25, retrying unprocessed ones with backoff. */
export function deleteAll(table: 'main' | 'keys', keys: readonly ItemKey[]): Promise<void> {
  return deleteRows(table, keys);
}
