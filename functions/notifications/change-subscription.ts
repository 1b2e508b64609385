import * as z from 'zod/mini';
import { changeSubscription } from '../../shared/notifications/subscriptions.js';
import { httpHandler } from '../../shared/platform/http.js';
import { entityTypes, notices, partnerOf, subscriptionParams, url } from './http-common.js';

/**
 * PATCH /profile/v1/subscriptions/{subscriptionId} — changes url (verified again), entity types, notice
 * filter (`null` removes it) or `paused`. Optional If-Match names the version changed (412 otherwise).
 */
const body = z
  .strictObject({ url: z.optional(url), entityTypes: z.optional(entityTypes), notices: z.optional(z.nullable(notices)), paused: z.optional(z.boolean()) })
  .check(z.refine((change) => Object.keys(change).length > 0, 'name at least one of url, entityTypes, notices, paused'));

export const handler = httpHandler({ params: subscriptionParams, body }, async (req) => {
  const changed = await changeSubscription((await partnerOf(req.principal)), req.params.subscriptionId, req.body, req.expectedVersion);
  return { statusCode: 200, body: changed, version: changed.version };
});
