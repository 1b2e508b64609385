import { getSubscription } from '../../shared/notifications/subscriptions.js';
import { httpHandler } from '../../shared/platform/http.js';
import { partnerOf, subscriptionParams } from './http-common.js';

/** GET /profile/v1/subscriptions/{subscriptionId} — one of the partner's subscriptions (another's: 404). */
export const handler = httpHandler({ params: subscriptionParams }, async (req) => {
  const subscription = await getSubscription((await partnerOf(req.principal)), req.params.subscriptionId);
  return { statusCode: 200, body: subscription, version: subscription.version };
});
