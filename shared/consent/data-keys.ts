import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../platform/clients.js';
import { config } from '../platform/config.js';
import { type Aad, open as openSealed, seal as sealValue } from '../platform/envelope.js';
import { consentErrors } from './errors.js';
import { type ItemKey, consentKey, referenceDataKeyKey, referenceKey, schemaDataKeyKey, schemaKey } from './keys.js';
import { openReferenceDataKey, unwrapSchemaKey } from './key-material.js';
import type { ConsentItem, ReferenceItem, SchemaItem } from './model.js';
import type { StoredDataKey, StoredSchemaKey } from './store.js';

/**
 * The consent context's API for profile data (issue 6): the key of one (reference, schema), handed out
 * only while the reference is active and not blocked, the schema is in the metamodel and owned as the
 * reference expects, and the consent is granted. Aliases resolve to their leader. Each call reads the
 * consent state and the wrapped key afresh (one BatchGet; one more for an alias), so a revoke or a
 * block is seen by the next call; the reference's data key comes from the bounded cache or one KMS
 * Decrypt.
 */
export interface GrantedKey {
  readonly tenant: string;
  /** The leading reference: store data under it. */
  readonly consentReference: string;
  readonly schema: string;
  /** Store it next to each sealed value: a later `requireKeyFor` tells "revoked since" (410) from "wrong key". */
  readonly grantBlob: string;
  /** AES-256-GCM; the AAD always includes tenant, reference, schema and grant blob besides `aad`. */
  seal(plaintext: Uint8Array | string, aad: Aad): string;
  /** Throws `EnvelopeIntegrityError` (platform/envelope.ts) for tampered values or another AAD. */
  open(sealed: string, aad: Aad): Buffer;
  /** Wipes the key; the handle is unusable afterwards. */
  dispose(): void;
}

interface State {
  readonly reference?: ReferenceItem;
  readonly consent?: ConsentItem;
  readonly schema?: SchemaItem;
  readonly dataKey?: StoredDataKey;
  readonly schemaKey?: StoredSchemaKey;
}

async function readState(tenant: string, ref: string, schema: string): Promise<State> {
  const main = config().tableName;
  const keys = config().keyTableName;
  const mainKeys = [referenceKey(tenant, ref), consentKey(tenant, ref, schema), schemaKey(tenant, schema)];
  const keyKeys = [referenceDataKeyKey(tenant, ref), schemaDataKeyKey(tenant, ref, schema)];
  const found: Record<string, unknown>[] = [];
  let request: Record<string, { Keys: ItemKey[]; ConsistentRead: boolean }> | undefined = {
    [main]: { Keys: mainKeys, ConsistentRead: true },
    [keys]: { Keys: keyKeys, ConsistentRead: true },
  };
  while (request && Object.keys(request).length > 0) {
    const result = await dynamoClient().send(new BatchGetCommand({ RequestItems: request as never }));
    for (const rows of Object.values(result.Responses ?? {})) found.push(...(rows as Record<string, unknown>[]));
    request = result.UnprocessedKeys as typeof request;
  }
  const pick = <T>(key: ItemKey) => found.find((row) => row.PK === key.PK && row.SK === key.SK) as T | undefined;
  return {
    reference: pick<ReferenceItem>(mainKeys[0]),
    consent: pick<ConsentItem>(mainKeys[1]),
    schema: pick<SchemaItem>(mainKeys[2]),
    dataKey: pick<StoredDataKey>(keyKeys[0]),
    schemaKey: pick<StoredSchemaKey>(keyKeys[1]),
  };
}

/** The current state of (reference → leader, schema), with every consent rule checked. */
async function grantedState(tenant: string, ref: string, schema: string): Promise<Required<State>> {
  let state = await readState(tenant, ref, schema);
  if (state.reference?.leader) state = await readState(tenant, state.reference.leader, schema);
  const { reference, consent, schema: schemaItem, dataKey, schemaKey: key } = state;
  if (!reference) throw consentErrors.referenceNotFound(ref);
  if (reference.status !== 'active') throw consentErrors.referencePending(ref);
  if (reference.blocked) throw consentErrors.referenceBlocked(ref);
  const owner = reference.kind === 'tenant' ? 'tenant' : 'user';
  if (!schemaItem?.active || schemaItem.owner !== owner) throw consentErrors.schemaNotFound(schema);
  if (!consent?.granted || !consent.grantBlob || !key || !dataKey || key.grantBlob !== consent.grantBlob) {
    throw consentErrors.consentNotGranted(schema);
  }
  return state as Required<State>;
}

async function handle(tenant: string, state: Required<State>): Promise<GrantedKey> {
  const { reference, schema, dataKey, schemaKey: stored } = state;
  const address = { tenant, ref: reference.ref, schema: schema.schema, grantBlob: stored.grantBlob };
  const wrappingKey = await openReferenceDataKey(tenant, reference.ref, dataKey.wrapped);
  let key: Buffer;
  try {
    key = unwrapSchemaKey(wrappingKey, address, stored.wrapped);
  } finally {
    wrappingKey.fill(0);
  }
  const bound = (aad: Aad): Aad => ({ ...aad, tenant, consentReference: address.ref, schema: address.schema, grantBlob: address.grantBlob });
  return {
    tenant,
    consentReference: address.ref,
    schema: address.schema,
    grantBlob: address.grantBlob,
    seal: (plaintext, aad) => sealValue(key, plaintext, bound(aad)),
    open: (sealed, aad) => openSealed(key, sealed, bound(aad)),
    dispose: () => key.fill(0),
  };
}

/**
 * The key to write (and read) `schema` data of `ref` now. Errors: ConsentReferenceNotFound (404),
 * ConsentReferencePending (409, Retry-After), ConsentReferenceBlocked (423), SchemaNotFound (404:
 * unknown, removed, or owned by the other side), ConsentNotGranted (403: never granted or revoked).
 */
export async function requireGrantedKey(tenant: string, ref: string, schema: string): Promise<GrantedKey> {
  return handle(tenant, await grantedState(tenant, ref, schema));
}

/**
 * The key of data sealed under `grantBlob`. As `requireGrantedKey`, and ConsentKeyDestroyed (410)
 * when that grant was revoked since (even if the consent was granted again with new key material).
 */
export async function requireKeyFor(tenant: string, ref: string, schema: string, grantBlob: string): Promise<GrantedKey> {
  const state = await grantedState(tenant, ref, schema).catch((error: unknown) => {
    throw (error as Error).name === 'ConsentNotGranted' ? consentErrors.keyDestroyed(schema) : error;
  });
  if (state.schemaKey.grantBlob !== grantBlob) throw consentErrors.keyDestroyed(schema);
  return handle(tenant, state);
}

/** Whether `ref` may hold data now (exists, active, not blocked), and its leader. Same errors. */
export async function requireUsableReference(tenant: string, ref: string): Promise<{ consentReference: string; kind: ReferenceItem['kind']; user?: string }> {
  let state = await readState(tenant, ref, '-');
  if (state.reference?.leader) state = await readState(tenant, state.reference.leader, '-');
  const reference = state.reference;
  if (!reference) throw consentErrors.referenceNotFound(ref);
  if (reference.status !== 'active') throw consentErrors.referencePending(ref);
  if (reference.blocked) throw consentErrors.referenceBlocked(ref);
  return { consentReference: reference.ref, kind: reference.kind, user: reference.user };
}
