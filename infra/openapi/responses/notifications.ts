import * as z from 'zod/mini';
import type { ResponsesByRoute, RouteResponses } from '../types.js';

/** What the notification routes answer (functions/notifications, shared/notifications; docs/notifications.md). */
const subscription = z.object({
  subscriptionId: z.string(),
  url: z.string(),
  entityTypes: z.array(z.string()),
  notices: z.optional(z.array(z.string())),
  paused: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const created = z.extend(subscription, { secret: z.string() });
const rotated = z.object({ secret: z.string(), previousSecretsValidUntil: z.string() });
const deadLetters = z.object({
  deadLetters: z.array(
    z.object({
      deliveryId: z.string(),
      notice: z.string(),
      attempts: z.number(),
      lastOutcome: z.optional(z.string()),
      createdAt: z.string(),
      deadAt: z.optional(z.string()),
      body: z.record(z.string(), z.unknown()),
    }),
  ),
  nextCursor: z.optional(z.string()),
});
const redriven = z.object({ redriven: z.number(), more: z.boolean() });

const NOT_FOUND = 'No such subscription of the calling partner (another partner’s or tenant’s is not found either).';
const FORBIDDEN_PARTNER = 'The token names no valid partner (`partner_id`, `PartnerTokenRequired`), or the partner is not registered in the tenant or is locked (`PartnerNotRegistered`).';
const RATE = 'Over the per-partner limit of subscription writes per minute (`SubscriptionWriteRateExceeded`); `Retry-After` says when to try again.';
const CONCURRENT = 'A concurrent change of the same subscription (`ConcurrentChange`, `Retry-After`).';
const RETRY_AFTER = { 'Retry-After': 'Seconds until the next minute’s writes are counted.' };
const RATE_ANSWER = { description: RATE, headers: RETRY_AFTER };
const ETAG = { ETag: 'The version of the subscription, for `If-Match`.' };
const LIMIT = 'The partner holds the maximum number of subscriptions (`SubscriptionLimitReached`), or a concurrent change.';
const ENDPOINT =
  'Malformed, or refused: an endpoint failing the SSRF rules (`EndpointRefused`), not answering the signed verification ping with 2xx (`EndpointUnreachable`), an unknown entity type (`UnknownEntityType`).';

const deadLetterAnswers: RouteResponses = { 200: { description: 'A page of the subscription’s dead letters, oldest first.', body: deadLetters }, 404: NOT_FOUND };
const redriveAnswers: RouteResponses = {
  202: { description: 'Up to 100 dead letters are due again now, with a fresh retry schedule; `more`: call again.', body: redriven },
  404: NOT_FOUND,
  409: CONCURRENT,
  429: RATE_ANSWER,
};

export const notificationResponses: ResponsesByRoute = {
  CreateSubscription: {
    201: { description: 'The subscription, with its signing secret (shown once).', body: created, headers: ETAG },
    400: ENDPOINT,
    403: FORBIDDEN_PARTNER,
    409: LIMIT,
    429: RATE_ANSWER,
  },
  ListSubscriptions: { 200: { description: 'The partner’s subscriptions.', body: z.object({ subscriptions: z.array(subscription) }) }, 403: FORBIDDEN_PARTNER },
  GetSubscription: { 200: { description: 'The subscription.', body: subscription, headers: ETAG }, 403: FORBIDDEN_PARTNER, 404: NOT_FOUND },
  ChangeSubscription: {
    200: { description: 'The subscription after the change.', body: subscription, headers: ETAG },
    400: ENDPOINT,
    403: FORBIDDEN_PARTNER,
    404: NOT_FOUND,
    409: CONCURRENT,
    412: 'If-Match names another version than the stored one.',
    429: RATE_ANSWER,
  },
  DeleteSubscription: { 204: { description: 'The subscription and its secrets are deleted.' }, 403: FORBIDDEN_PARTNER, 404: NOT_FOUND, 409: CONCURRENT, 429: RATE_ANSWER },
  RotateSubscriptionSecret: {
    201: { description: 'The new secret (shown once); the previous ones sign beside it until `previousSecretsValidUntil`.', body: rotated },
    403: FORBIDDEN_PARTNER,
    404: NOT_FOUND,
    409: CONCURRENT,
    429: RATE_ANSWER,
  },
  ListSubscriptionDeadLetters: { ...deadLetterAnswers, 403: FORBIDDEN_PARTNER },
  RedriveSubscriptionDeadLetters: { ...redriveAnswers, 403: FORBIDDEN_PARTNER },
  OperatorListDeadLetters: deadLetterAnswers,
  OperatorRedriveDeadLetters: redriveAnswers,
};
