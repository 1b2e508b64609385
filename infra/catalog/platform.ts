import type { RouteDefinition, RuleDefinition } from './types.js';

export const platformRoutes: readonly RouteDefinition[] = [
  {
    id: 'PutConsentClass',
    method: 'PUT',
    path: '/admin/v1/consentClasses/{class}',
    handler: 'functions/admin/put-consent-class.ts',
    scopes: [],
    access: ['table:write'],
  },
  {
    id: 'PutTenant',
    method: 'PUT',
    path: '/admin/v1/tenants/{tenant}',
    handler: 'functions/admin/put-tenant.ts',
    scopes: [],
    access: ['table:read', 'table:write'],
  },
  {
    id: 'ListConsentClasses',
    method: 'GET',
    path: '/profile-consent/v1/consentClasses',
    handler: 'functions/consent/list-consent-classes.ts',
    scopes: [],
    access: ['table:read'],
  },
];

export const platformRules: readonly RuleDefinition[] = [
  {
    id: 'RecordTenantOnboarded',
    description: 'Keeps an audit record of every onboarded tenant.',
    pattern: { source: ['mydata.platform'], 'detail-type': ['TenantOnboarded'] },
    handler: 'functions/admin/on-tenant-onboarded.ts',
    access: ['table:write'],
  },
];
