import type { PrincipalKind } from '../../shared/platform/principal.js';
import { type RoutePolicy, routeBuilder } from './route.js';
import type { Access, RouteDefinition, RuleDefinition } from './types.js';

/** The operator's administration (`/admin/v1`, principal `system`) and the global consent-class dictionary. */
const admin = routeBuilder({ base: '/admin/v1', functions: 'admin' });
const dictionary = routeBuilder({ base: '/profile-consent/v1', functions: 'consent' });

const system = (access: readonly Access[]): RoutePolicy => ({ scopes: [], callers: ['system'], access });
/** The global dictionary: every kind of caller may read it. */
const EVERYBODY: readonly PrincipalKind[] = ['guest', 'anonymous', 'partner', 'tenant', 'system'];

export const platformRoutes: readonly RouteDefinition[] = [
  admin('PutConsentClass', 'PUT', '/consentClasses/{class}', 'put-consent-class', system(['table:write'])),
  admin('PutTenant', 'PUT', '/tenants/{tenant}', 'put-tenant', system(['table:read', 'table:write'])),
  // The operator's way back for a tenant administrator who lost its rights (decision 0104, docs/partner.md).
  admin('RestoreTenantAdministrator', 'POST', '/tenants/{tenant}/administrator/restore', 'restore-administrator', system(['table:read', 'table:write'])),
  dictionary('ListConsentClasses', 'GET', '/consentClasses', 'list-consent-classes', { scopes: [], callers: EVERYBODY, access: ['table:read'] }),
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
  {
    id: 'SweepNotificationDeliveries',
    description: 'Retries webhook deliveries whose backoff has passed and parks those out of retries as dead letters (docs/notifications.md).',
    handler: 'functions/notifications/sweep-deliveries.ts',
    everyMinutes: 1,
    access: ['table:read', 'table:write', 'keys:read'],
  },
  {
    id: 'SweepStagedConsentChanges',
    description: 'Settles staged class grants and revokes whose settling failed after their commit (destroying revoked keys), and rolls back those never committed (decision 0209).',
    handler: 'functions/consent/sweep-staged-changes.ts',
    everyMinutes: 5,
    access: ['table:read', 'table:write', 'keys:write'],
  },
];
