import { redriveDeadLetters } from '../../shared/notifications/deadletters.js';
import { httpHandler } from '../../shared/platform/http.js';
import { partnerOf, subscriptionParams } from './http-common.js';

/** POST /profile/v1/subscriptions/{subscriptionId}/deadletters/redrive — up to 100 dead letters due again now (202; `more`: call again). */
export const handler = httpHandler({ params: subscriptionParams }, async (req) => ({
  statusCode: 202,
  body: await redriveDeadLetters((await partnerOf(req.principal)), req.params.subscriptionId),
}));
