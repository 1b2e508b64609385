import * as z from 'zod/mini';
import { listDeadLetters } from '../../shared/notifications/deadletters.js';
import { cursorParam } from '../../shared/platform/cursor.js';
import { httpHandler } from '../../shared/platform/http.js';
import { partnerOf, subscriptionParams } from './http-common.js';

/** GET /profile/v1/subscriptions/{subscriptionId}/deadletters — the subscription's dead letters, paged (`cursor`). */
const query = z.object({ cursor: z.optional(cursorParam) });

export const handler = httpHandler({ params: subscriptionParams, query }, async (req) => ({
  statusCode: 200,
  body: await listDeadLetters((await partnerOf(req.principal)), req.params.subscriptionId, req.query.cursor),
}));
