import type { PrincipalKind } from '../../shared/platform/principal.js';
import { CONSENT_MANAGE, CONSENT_VIEW } from '../../shared/platform/scopes.js';
import { type RoutePolicy, routeBuilder } from './route.js';
import type { Access, RouteDefinition, RuleDefinition } from './types.js';

/** The consent context's surface: the seed's paths under /profile-consent/v1, and its consumers. */
const route = routeBuilder({ base: '/profile-consent/v1/{tenant}', functions: 'consent' });

/** Guests, anonymous guests and the tenant's administrators use references, with view or manage. */
const USERS: readonly PrincipalKind[] = ['guest', 'anonymous', 'tenant'];
const users = (access: readonly Access[]): RoutePolicy => ({ scopes: [CONSENT_VIEW, CONSENT_MANAGE], callers: USERS, access });
/** Tenant-only operations are exactly those that need manage alone (metamodel, blocking, merging, TENANT). */
const tenant = (access: readonly Access[]): RoutePolicy => ({ scopes: [CONSENT_MANAGE], callers: ['tenant'], access });

const read: Access[] = ['table:read'];
const write: Access[] = ['table:read', 'table:write'];
const withKeys: Access[] = ['table:read', 'table:write', 'keys:read', 'keys:write', 'kms:generate', 'kms:decrypt'];

export const consentRoutes: readonly RouteDefinition[] = [
  route('GetUserConsentReference', 'GET', '/users/{user}', 'get-user-reference', users(read)),
  route('CreateConsentReference', 'POST', '/consentReferences', 'create-reference', users(withKeys)),
  route('CreateTenantConsentReference', 'POST', '/consentReferences/TENANT', 'create-tenant-reference', tenant(write)),
  route('GetConsentReference', 'GET', '/consentReferences/{ref}', 'get-reference', users(read)),
  route('BlockConsentReference', 'PUT', '/consentReferences/{ref}/block', 'block-reference', tenant(write)),
  // Reads and shreds the aliases' keys of schemas the leader does not grant (decision 0204).
  route('MergeConsentReferences', 'POST', '/consentReferences/{ref}/aliases', 'merge-references', tenant([...write, 'keys:read', 'keys:write'])),
  route('GetConsents', 'GET', '/consents/{ref}', 'get-consents', users(read)),
  route('DeleteConsentReference', 'DELETE', '/consents/{ref}', 'delete-reference', users([...withKeys])),
  route('GetConsentHistory', 'GET', '/consents/{ref}/history', 'get-history', users(read)),
  route('GetClassConsents', 'GET', '/consents/{ref}/classes/{consentClass}', 'get-class-consents', users(read)),
  route('PutClassConsents', 'PUT', '/consents/{ref}/classes/{consentClass}', 'put-class-consents', users(withKeys)),
  route('GetSchemaConsent', 'GET', '/consents/{ref}/schemas/{schema}', 'get-schema-consent', users(read)),
  route('PutSchemaConsent', 'PUT', '/consents/{ref}/schemas/{schema}', 'put-schema-consent', users(withKeys)),
  route('ListMetamodelSchemas', 'GET', '/schemas', 'list-schemas', tenant(read)),
  route('GetMetamodelSchema', 'GET', '/schemas/{schema}', 'get-schema', tenant(read)),
  route('PutMetamodelSchema', 'PUT', '/schemas/{schema}', 'put-schema', tenant(withKeys)),
  route('DeleteMetamodelSchema', 'DELETE', '/schemas/{schema}', 'delete-schema', tenant(write)),
];

export const consentRules: readonly RuleDefinition[] = [
  {
    id: 'CompleteConsentReference',
    description: 'Creates the consents and keys of a requested consent reference, then announces ConsentReferenceCreated.',
    pattern: { source: ['mydata.consent'], 'detail-type': ['ConsentReferenceRequested'] },
    handler: 'functions/consent/on-reference-requested.ts',
    access: ['table:read', 'table:write', 'keys:read', 'keys:write', 'kms:generate', 'kms:decrypt'],
  },
  {
    id: 'SyncConsentSchema',
    description: 'Copies a changed metamodel schema onto the consent rows of every reference of its tenant (decision 0202).',
    pattern: { source: ['mydata.consent'], 'detail-type': ['ConsentSchemaChanged'] },
    handler: 'functions/consent/on-schema-changed.ts',
    access: ['table:read', 'table:write'],
  },
  {
    id: 'ContinueConsentSchemaSync',
    description: "Copies a changed metamodel schema onto the next page of the tenant's references and hands the rest on (decision 0208).",
    pattern: { source: ['mydata.consent'], 'detail-type': ['ConsentSchemaSyncContinued'] },
    handler: 'functions/consent/on-schema-sync-continued.ts',
    access: ['table:read', 'table:write'],
  },
];
