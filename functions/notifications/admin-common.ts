import * as z from 'zod/mini';
import { TENANT_NAME } from '../../shared/platform/event-schema.js';

/** The operator names the subscription in full: tenant, partner, subscription (principal `system`). */
export const operatorParams = z.object({
  tenant: z.string().check(z.regex(TENANT_NAME, 'not a tenant name')),
  partnerId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a partner id')),
  subscriptionId: z.uuid(),
});
