import * as z from 'zod/mini';
import { createSubscription } from '../../shared/notifications/subscriptions.js';
import { httpHandler } from '../../shared/platform/http.js';
import { entityTypes, notices, partnerOf, url } from './http-common.js';

/**
 * POST /profile/v1/subscriptions — the partner registers a webhook (201 with the subscription and its
 * secret, shown once). The endpoint must pass the SSRF guard and answer a signed verification ping.
 * Strict body: a tenant or partner named in it is refused (the caller is the token's partner).
 */
const body = z.strictObject({ url, entityTypes, notices: z.optional(notices) });

export const handler = httpHandler({ body }, async (req) => {
  const created = await createSubscription((await partnerOf(req.principal)), req.body);
  return { statusCode: 201, body: { ...created.subscription, secret: created.secret }, version: created.subscription.version };
});
