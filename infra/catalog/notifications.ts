import { NOTIFICATIONS_MANAGE } from '../../shared/platform/scopes.js';
import { type RoutePolicy, routeBuilder } from './route.js';
import type { Access, RouteDefinition, RuleDefinition } from './types.js';

/**
 * The Profile Data Notification Service's subscribe-and-deliver half (issue 13, docs/notifications.md,
 * decisions 0400–0403): a partner's webhook subscriptions under `/profile/v1/subscriptions`, the operator's
 * view of dead letters under `/admin/v1`, and the dispatcher of `PartnerNotice`s. The retry sweep is a
 * platform schedule (infra/catalog/platform.ts, `SweepNotificationDeliveries`).
 */
const route = routeBuilder({ base: '/profile/v1', functions: 'notifications' });
const admin = routeBuilder({ base: '/admin/v1', functions: 'notifications' });

/** Subscriptions in the data table, their secrets in the key table. */
const manages: readonly Access[] = ['table:read', 'table:write', 'keys:read', 'keys:write'];
const partner = (access: readonly Access[]): RoutePolicy => ({ scopes: [NOTIFICATIONS_MANAGE], callers: ['partner'], access });
const operator = (access: readonly Access[]): RoutePolicy => ({ scopes: [], callers: ['system'], access });

const operatorSubscription = '/tenants/{tenant}/partners/{partnerId}/subscriptions/{subscriptionId}';

export const notificationRoutes: readonly RouteDefinition[] = [
  route('CreateSubscription', 'POST', '/subscriptions', 'create-subscription', partner(manages)),
  route('ListSubscriptions', 'GET', '/subscriptions', 'list-subscriptions', partner(['table:read'])),
  route('GetSubscription', 'GET', '/subscriptions/{subscriptionId}', 'get-subscription', partner(['table:read'])),
  route('ChangeSubscription', 'PATCH', '/subscriptions/{subscriptionId}', 'change-subscription', partner(manages)),
  route('DeleteSubscription', 'DELETE', '/subscriptions/{subscriptionId}', 'delete-subscription', partner(manages)),
  route('RotateSubscriptionSecret', 'POST', '/subscriptions/{subscriptionId}/secret', 'rotate-secret', partner(manages)),
  route('ListSubscriptionDeadLetters', 'GET', '/subscriptions/{subscriptionId}/deadletters', 'list-dead-letters', partner(['table:read'])),
  route('RedriveSubscriptionDeadLetters', 'POST', '/subscriptions/{subscriptionId}/deadletters/redrive', 'redrive-dead-letters', partner(['table:read', 'table:write'])),
  admin('OperatorListDeadLetters', 'GET', `${operatorSubscription}/deadletters`, 'admin-list-dead-letters', operator(['table:read'])),
  admin('OperatorRedriveDeadLetters', 'POST', `${operatorSubscription}/deadletters/redrive`, 'admin-redrive-dead-letters', operator(['table:read', 'table:write'])),
];

/** The dispatcher reads subscriptions and secrets, writes delivery rows, hands fan-out pages on (outbox rows). */
const dispatches: readonly Access[] = ['table:read', 'table:write', 'keys:read'];

export const notificationRules: readonly RuleDefinition[] = [
  {
    id: 'DeliverPartnerNotice',
    description: "Delivers a PartnerNotice to the recipient partner's matching subscriptions: one signed webhook delivery each, retried by the sweep (docs/notifications.md).",
    pattern: { source: ['mydata.profile'], 'detail-type': ['PartnerNotice'] },
    handler: 'functions/notifications/on-partner-notice.ts',
    access: dispatches,
  },
  {
    id: 'ContinueNotificationFanOut',
    description: "Continues one PartnerNotice's fan-out over the recipient's subscriptions from a cursor (decision 0208).",
    pattern: { source: ['mydata.profile'], 'detail-type': ['NotificationFanOutContinued'] },
    handler: 'functions/notifications/on-fan-out-continued.ts',
    access: dispatches,
  },
];
