import { conflict, DomainError, invalid, notFound, tooManyRequests } from '../platform/errors.js';
import type { EndpointRefusal } from './endpoint.js';

/** The named errors of the notification context (mapped to HTTP in one place, shared/platform/http-errors.ts). */
export const notificationErrors = {
  notAPartner: () => new DomainError('Forbidden', 'Subscriptions belong to a partner: the token names no valid partner_id (1 to 64 letters, digits, _ or -)', 'PartnerTokenRequired'),
  subscriptionNotFound: (subscriptionId: string) => notFound(`Subscription ${subscriptionId} not found`, 'SubscriptionNotFound'),
  unknownEntityTypes: (entityTypes: readonly string[]) =>
    invalid(`Unknown entity types of this tenant's metamodel: ${entityTypes.join(', ')}`, 'UnknownEntityType', { entityTypes }),
  endpointRefused: (url: string, refusal: EndpointRefusal) =>
    invalid(`The endpoint is refused (${refusal.reason}${'addressClass' in refusal ? `: ${refusal.addressClass} address` : ''}); see docs/notifications.md`, 'EndpointRefused', {
      url,
      ...refusal,
    }),
  endpointUnreachable: (url: string, outcome: string) =>
    invalid(`The endpoint did not answer the signed verification ping with 2xx (${outcome})`, 'EndpointUnreachable', { url, outcome }),
  subscriptionLimit: (limit: number) =>
    conflict(`A partner may hold at most ${limit} subscriptions; delete one first`, 'SubscriptionLimitReached'),
  rateLimited: (limit: number, retryAfterSeconds: number) =>
    tooManyRequests(`At most ${limit} subscription changes per minute per partner; try again shortly`, 'SubscriptionWriteRateExceeded', retryAfterSeconds),
  concurrentChange: () => conflict('The subscription changed at the same time; read it and try again', 'ConcurrentChange', 1),
  versionMismatch: () => new DomainError('PreconditionFailed', 'The subscription has another version than If-Match names', 'VersionMismatch'),
};
