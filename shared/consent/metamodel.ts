import { getConsentClass } from '../admin/consent-classes.js';
import { config } from '../platform/config.js';
import { conflict, invalid } from '../platform/errors.js';
import { authorize, type Caller } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { changeConsents } from './grants.js';
import { consentKey, ENTITY, SCHEMA_NAME_RULE, schemaKey, schemaNameFits, TENANT_REF } from './keys.js';
import type { SchemaItem, SchemaOwner } from './model.js';
import { requireTenant } from './resolve.js';
import { getItem, loadMetamodel } from './store.js';
import { ConditionFailed, transactChunked } from '../platform/table/index.js';

export interface SchemaDefinition {
  readonly consentClass: string;
  readonly owner: SchemaOwner;
  readonly title: string;
  readonly description: string;
  readonly grantedByDefault?: boolean;
}

export interface SchemaView extends SchemaDefinition {
  readonly schema: string;
}

const view = (s: SchemaItem): SchemaView => ({
  schema: s.schema,
  consentClass: s.consentClass,
  owner: s.owner,
  title: s.title,
  description: s.description,
  grantedByDefault: s.grantedByDefault !== false,
});

/**
 * `PUT /{tenant}/schemas/{schema}`: adds, changes or re-adds a schema. A re-added schema brings back
 * its consents and data as they were. `ConsentSchemaChanged` fans the change out to the copies on every
 * reference's consent rows (`schema-sync.ts`; decision 0202). A new `user` schema is not granted to existing references; a
 * `tenant` schema is granted on the TENANT reference at once (with its key).
 */
export async function putSchema(tenant: string, schema: string, definition: SchemaDefinition, caller: Caller) {
  authorize(caller, tenant, { to: 'administer' });
  if (!schemaNameFits(schema)) throw invalid(`Invalid schema: ${SCHEMA_NAME_RULE}`, 'ValidationFailed');
  await requireTenant(tenant);
  if (!(await getConsentClass(definition.consentClass))) throw consentErrors.classNotFound(definition.consentClass);
  const existing = await getItem<SchemaItem>('main', schemaKey(tenant, schema));
  if (existing && existing.owner !== definition.owner) {
    throw conflict(`Schema ${schema} is owned by the ${existing.owner}; its owner cannot change`, 'SchemaOwnerImmutable');
  }
  const revision = (existing?.revision ?? 0) + 1;
  const item: SchemaItem = {
    tenant, schema, ...definition, grantedByDefault: definition.grantedByDefault !== false, active: true, revision, updatedAt: new Date().toISOString(),
  };
  await transactChunked([
    {
      Put: {
        TableName: config().tableName,
        Item: { ...schemaKey(tenant, schema), entityType: ENTITY.schema, ...item },
        // Revisions are unique: the fan-out's copies are ordered by them (decision 0202).
        ConditionExpression: existing ? 'revision = :previous OR attribute_not_exists(revision)' : 'attribute_not_exists(PK)',
        ...(existing ? { ExpressionAttributeValues: { ':previous': existing.revision ?? 0 } } : {}),
      },
    },
    consentEvent('ConsentSchemaChanged', tenant, { schema, consentClass: item.consentClass, owner: item.owner, active: true, revision }),
  ]).catch((error: unknown) => {
    throw error instanceof ConditionFailed ? conflict(`Schema ${schema} is changing concurrently; retry`, 'ConcurrentSchemaChange', 1) : error;
  });
  // A new tenant schema is granted on TENANT at once (with its key); the row carries the schema's copy.
  if (item.owner === 'tenant' && (!existing || !(await getItem('main', consentKey(tenant, TENANT_REF, schema))))) {
    await changeConsents(tenant, TENANT_REF, { schema }, true, 'system');
  }
  return { created: !existing?.active, schema: view(item) };
}

export async function getSchema(tenant: string, schema: string, caller: Caller): Promise<SchemaView> {
  authorize(caller, tenant, { to: 'administer' });
  const item = await getItem<SchemaItem>('main', schemaKey(tenant, schema));
  if (!item?.active) {
    await requireTenant(tenant);
    throw consentErrors.schemaNotFound(schema);
  }
  return view(item);
}

export async function listSchemas(tenant: string, caller: Caller): Promise<SchemaView[]> {
  authorize(caller, tenant, { to: 'administer' });
  await requireTenant(tenant);
  return (await loadMetamodel(tenant)).filter((s) => s.active).map(view);
}

/**
 * `DELETE /{tenant}/schemas/{schema}`: hides the schema's data at once (profile reads the schema row) and its
 * consents once the fan-out has reached every reference (decision 0202); deletes nothing.
 */
export async function removeSchema(tenant: string, schema: string, caller: Caller): Promise<void> {
  authorize(caller, tenant, { to: 'administer' });
  const item = await getItem<SchemaItem>('main', schemaKey(tenant, schema));
  if (!item?.active) {
    await requireTenant(tenant);
    throw consentErrors.schemaNotFound(schema);
  }
  const revision = (item.revision ?? 0) + 1;
  await transactChunked([
    {
      Update: {
        TableName: config().tableName,
        Key: schemaKey(tenant, schema),
        UpdateExpression: 'SET active = :false, updatedAt = :at, revision = :revision',
        ConditionExpression: 'active = :true AND (revision = :previous OR attribute_not_exists(revision))',
        ExpressionAttributeValues: { ':false': false, ':true': true, ':at': new Date().toISOString(), ':revision': revision, ':previous': item.revision ?? 0 },
      },
    },
    consentEvent('ConsentSchemaChanged', tenant, { schema, consentClass: item.consentClass, owner: item.owner, active: false, revision }),
  ]).catch((error: unknown) => {
    throw error instanceof ConditionFailed ? consentErrors.schemaNotFound(schema) : error;
  });
}
