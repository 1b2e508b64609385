import type { PrincipalKind } from '../../shared/platform/principal.js';
import type { Access, HttpMethod, RouteDefinition, RuleDefinition } from './types.js';

/** The consent context's surface: the seed's paths under /profile-consent/v1, and its consumers. */
const BASE = '/profile-consent/v1/{tenant}';
const CONSENT_SCOPES = ['profile_consent_view', 'profile_consent_manage'] as const;
const MANAGE = ['profile_consent_manage'] as const;
/** Guests, anonymous guests and the tenant's administrators use references; the tenant alone runs the rest. */
const USERS: readonly PrincipalKind[] = ['guest', 'anonymous', 'tenant'];
const TENANT: readonly PrincipalKind[] = ['tenant'];

const route = (id: string, method: HttpMethod, path: string, handler: string, access: Access[], scopes: readonly string[] = CONSENT_SCOPES): RouteDefinition => ({
  id,
  method,
  path: `${BASE}${path}`,
  handler: `functions/consent/${handler}.ts`,
  scopes,
  // Tenant-only operations are exactly those that need manage alone (metamodel, blocking, merging, TENANT).
  callers: scopes === MANAGE ? TENANT : USERS,
  access,
});

const read: Access[] = ['table:read'];
const write: Access[] = ['table:read', 'table:write'];
const withKeys: Access[] = ['table:read', 'table:write', 'keys:read', 'keys:write', 'kms:generate', 'kms:decrypt'];

export const consentRoutes: readonly RouteDefinition[] = [
  route('GetUserConsentReference', 'GET', '/users/{user}', 'get-user-reference', read),
  route('CreateConsentReference', 'POST', '/consentReferences', 'create-reference', withKeys),
  route('CreateTenantConsentReference', 'POST', '/consentReferences/TENANT', 'create-tenant-reference', write, MANAGE),
  route('GetConsentReference', 'GET', '/consentReferences/{ref}', 'get-reference', read),
  route('BlockConsentReference', 'PUT', '/consentReferences/{ref}/block', 'block-reference', write, MANAGE),
  // Reads and shreds the aliases' keys of schemas the leader does not grant (decision 0204).
  route('MergeConsentReferences', 'POST', '/consentReferences/{ref}/aliases', 'merge-references', [...write, 'keys:read', 'keys:write'], MANAGE),
  route('GetConsents', 'GET', '/consents/{ref}', 'get-consents', read),
  route('DeleteConsentReference', 'DELETE', '/consents/{ref}', 'delete-reference', [...withKeys]),
  route('GetConsentHistory', 'GET', '/consents/{ref}/history', 'get-history', read),
  route('GetClassConsents', 'GET', '/consents/{ref}/classes/{consentClass}', 'get-class-consents', read),
  route('PutClassConsents', 'PUT', '/consents/{ref}/classes/{consentClass}', 'put-class-consents', withKeys),
  route('GetSchemaConsent', 'GET', '/consents/{ref}/schemas/{schema}', 'get-schema-consent', read),
  route('PutSchemaConsent', 'PUT', '/consents/{ref}/schemas/{schema}', 'put-schema-consent', withKeys),
  route('ListMetamodelSchemas', 'GET', '/schemas', 'list-schemas', read, MANAGE),
  route('GetMetamodelSchema', 'GET', '/schemas/{schema}', 'get-schema', read, MANAGE),
  route('PutMetamodelSchema', 'PUT', '/schemas/{schema}', 'put-schema', withKeys, MANAGE),
  route('DeleteMetamodelSchema', 'DELETE', '/schemas/{schema}', 'delete-schema', write, MANAGE),
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
];
