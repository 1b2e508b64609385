import * as z from 'zod/mini';
import { TENANT_NAME } from '../../shared/platform/event-schema.js';
import { partnerIdParam } from '../../shared/platform/partner-id.js';

/** The operator names the subscription in full: tenant, partner, subscription (principal `system`). */
export const operatorParams = z.object({
  tenant: z.string().check(z.regex(TENANT_NAME, 'not a tenant name')),
  partnerId: partnerIdParam,
  subscriptionId: z.uuid(),
});
