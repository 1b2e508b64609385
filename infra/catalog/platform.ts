import type { Access, RouteDefinition, RuleDefinition } from './types.js';

export const platformRoutes: readonly RouteDefinition[] = [
  {
    id: 'PutConsentClass',
    method: 'PUT',
    path: '/admin/v1/consentClasses/{class}',
    handler: 'functions/admin/put-consent-class.ts',
    scopes: [],
    callers: ['system'],
    access: ['table:write'],
  },
  {
    id: 'PutTenant',
    method: 'PUT',
    path: '/admin/v1/tenants/{tenant}',
    handler: 'functions/admin/put-tenant.ts',
    scopes: [],
    callers: ['system'],
    access: ['table:read', 'table:write'],
  },
  {
    // The operator's way back for a tenant administrator who lost its rights (decision 0104, docs/partner.md).
    id: 'RestoreTenantAdministrator',
    method: 'POST',
    path: '/admin/v1/tenants/{tenant}/administrator/restore',
    handler: 'functions/admin/restore-administrator.ts',
    scopes: [],
    callers: ['system'],
    access: ['table:read', 'table:write'],
  },
  {
    id: 'ListConsentClasses',
    method: 'GET',
    path: '/profile-consent/v1/consentClasses',
    handler: 'functions/consent/list-consent-classes.ts',
    scopes: [],
    // The global dictionary: every kind of caller may read it.
    callers: ['guest', 'anonymous', 'partner', 'tenant', 'system'],
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
  {
    id: 'ConfirmOutboxEvent',
    description: 'Confirms that an outbox event reached the bus, so the outbox sweeper does not re-publish it (docs/delivery.md).',
    pattern: { source: [{ prefix: 'mydata.' }], detail: { outbox: { source: [{ exists: true }] } } },
    handler: 'functions/platform/on-outbox-event.ts',
    access: ['table:write'],
  },
];

/** A function the platform runs on a timer: an EventBridge schedule in AWS, a timer in the local platform. */
export interface ScheduleDefinition {
  readonly id: string;
  readonly description: string;
  readonly handler: string;
  readonly everyMinutes: number;
  readonly access: readonly Access[];
}

export const platformSchedules: readonly ScheduleDefinition[] = [
  {
    id: 'SweepOutbox',
    description: 'Re-publishes outbox events not confirmed within their bound (docs/delivery.md).',
    handler: 'functions/platform/sweep-outbox.ts',
    everyMinutes: 1,
    access: ['table:read', 'table:write', 'events:put'],
  },
];
