import * as z from 'zod/mini';
import { listDeadLetters } from '../../shared/notifications/deadletters.js';
import { cursorParam } from '../../shared/platform/cursor.js';
import { httpHandler } from '../../shared/platform/http.js';
import { operatorParams } from './admin-common.js';

/** GET /admin/v1/tenants/{tenant}/partners/{partnerId}/subscriptions/{subscriptionId}/deadletters — the operator's view. */
const query = z.object({ cursor: z.optional(cursorParam) });

export const handler = httpHandler({ params: operatorParams, query }, async (req) => ({
  statusCode: 200,
  body: await listDeadLetters({ tenant: req.params.tenant, partnerId: req.params.partnerId }, req.params.subscriptionId, req.query.cursor),
}));
