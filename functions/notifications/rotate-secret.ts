import { rotateSecret } from '../../shared/notifications/subscriptions.js';
import { httpHandler } from '../../shared/platform/http.js';
import { partnerOf, subscriptionParams } from './http-common.js';

/**
 * POST /profile/v1/subscriptions/{subscriptionId}/secret — a new signing secret (201, shown once); the
 * previous ones keep signing beside it until `previousSecretsValidUntil` (docs/notifications.md).
 */
export const handler = httpHandler({ params: subscriptionParams }, async (req) => ({
  statusCode: 201,
  body: await rotateSecret((await partnerOf(req.principal)), req.params.subscriptionId),
}));
