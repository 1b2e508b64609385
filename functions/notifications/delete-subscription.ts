import { deleteSubscription } from '../../shared/notifications/subscriptions.js';
import { httpHandler } from '../../shared/platform/http.js';
import { partnerOf, subscriptionParams } from './http-common.js';

/** DELETE /profile/v1/subscriptions/{subscriptionId} — deletes it and its secrets (204); its pending deliveries lapse. */
export const handler = httpHandler({ params: subscriptionParams }, async (req) => {
  await deleteSubscription((await partnerOf(req.principal)), req.params.subscriptionId);
  return { statusCode: 204 };
});
