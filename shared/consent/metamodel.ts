import { getConsentClass } from '../admin/consent-classes.js';
import { config } from '../platform/config.js';
import { conflict } from '../platform/errors.js';
import { type Caller, requireTenantAdmin } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { changeConsents } from './grants.js';
import { consentKey, ENTITY, schemaKey, TENANT_REF } from './keys.js';
import type { SchemaItem, SchemaOwner } from './model.js';
import { requireTenant } from './resolve.js';
import { getItem, loadMetamodel } from './store.js';
import { ConditionFailed, transactWrite } from './transact.js';

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
 * its consents and data as they were. A new `user` schema is not granted to existing references; a
 * `tenant` schema is granted on the TENANT reference at once (with its key).
 */
export async function putSchema(tenant: string, schema: string, definition: SchemaDefinition, caller: Caller) {
  requireTenantAdmin(caller, tenant);
  await requireTenant(tenant);
  if (!(await getConsentClass(definition.consentClass))) throw consentErrors.classNotFound(definition.consentClass);
  const existing = await getItem<SchemaItem>('main', schemaKey(tenant, schema));
  if (existing && existing.owner !== definition.owner) {
    throw conflict(`Schema ${schema} is owned by the ${existing.owner}; its owner cannot change`, 'SchemaOwnerImmutable');
  }
  const item: SchemaItem = { tenant, schema, ...definition, grantedByDefault: definition.grantedByDefault !== false, active: true, updatedAt: new Date().toISOString() };
  await transactWrite([
    { Put: { TableName: config().tableName, Item: { ...schemaKey(tenant, schema), entityType: ENTITY.schema, ...item } } },
    consentEvent('ConsentSchemaChanged', tenant, { schema, consentClass: item.consentClass, owner: item.owner, active: true }),
  ]);
  if (item.owner === 'tenant' && !(await getItem('main', consentKey(tenant, TENANT_REF, schema)))) {
    await changeConsents(tenant, TENANT_REF, { schema }, true, 'system');
  }
  return { created: !existing || !existing.active, schema: view(item) };
}

export async function getSchema(tenant: string, schema: string, caller: Caller): Promise<SchemaView> {
  requireTenantAdmin(caller, tenant);
  const item = await getItem<SchemaItem>('main', schemaKey(tenant, schema));
  if (!item?.active) {
    await requireTenant(tenant);
    throw consentErrors.schemaNotFound(schema);
  }
  return view(item);
}

export async function listSchemas(tenant: string, caller: Caller): Promise<SchemaView[]> {
  requireTenantAdmin(caller, tenant);
  await requireTenant(tenant);
  return (await loadMetamodel(tenant)).filter((s) => s.active).map(view);
}

/** `DELETE /{tenant}/schemas/{schema}`: hides the schema's consents and data; deletes nothing. */
export async function removeSchema(tenant: string, schema: string, caller: Caller): Promise<void> {
  requireTenantAdmin(caller, tenant);
  const item = await getItem<SchemaItem>('main', schemaKey(tenant, schema));
  if (!item?.active) {
    await requireTenant(tenant);
    throw consentErrors.schemaNotFound(schema);
  }
  await transactWrite([
    {
      Update: {
        TableName: config().tableName,
        Key: schemaKey(tenant, schema),
        UpdateExpression: 'SET active = :false, updatedAt = :at',
        ConditionExpression: 'active = :true',
        ExpressionAttributeValues: { ':false': false, ':true': true, ':at': new Date().toISOString() },
      },
    },
    consentEvent('ConsentSchemaChanged', tenant, { schema, consentClass: item.consentClass, owner: item.owner, active: false }),
  ]).catch((error: unknown) => {
    throw error instanceof ConditionFailed ? consentErrors.schemaNotFound(schema) : error;
  });
}
