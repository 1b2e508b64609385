import { redriveDeadLetters } from '../../shared/notifications/deadletters.js';
import { httpHandler } from '../../shared/platform/http.js';
import { operatorParams } from './admin-common.js';

/** POST /admin/v1/tenants/{tenant}/partners/{partnerId}/subscriptions/{subscriptionId}/deadletters/redrive — the operator's redrive (202). */
export const handler = httpHandler({ params: operatorParams }, async (req) => ({
  statusCode: 202,
  body: await redriveDeadLetters({ tenant: req.params.tenant, partnerId: req.params.partnerId }, req.params.subscriptionId),
}));
