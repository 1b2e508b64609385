import { listSubscriptions } from '../../shared/notifications/subscriptions.js';
import { httpHandler } from '../../shared/platform/http.js';
import { partnerOf } from './http-common.js';

/** GET /profile/v1/subscriptions — the partner's subscriptions (at most the per-partner limit, so one page). */
export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: { subscriptions: await listSubscriptions((await partnerOf(req.principal))) },
}));
