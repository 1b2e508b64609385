import * as z from 'zod/mini';
import { PLATFORM_GUEST_QUOTA } from '../../shared/profile/quota.js';
import { putSettings } from '../../shared/profile/settings.js';
import { httpHandler } from '../../shared/platform/http.js';
import { tenantParam } from './http-common.js';

/** PUT /profile/v1/tenants/{tenant}/settings — sets the entity types shared with every related partner (and optionally a lower per-guest quota). */
const params = z.object({ tenant: tenantParam });
const entityType = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'not an entity type name'));
/** Lower limits than the platform's per-guest quota (`PLATFORM_GUEST_QUOTA`); absent: the platform's. */
const guestQuota = z.strictObject({
  maxItems: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(PLATFORM_GUEST_QUOTA.maxItems))),
  maxBytes: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(PLATFORM_GUEST_QUOTA.maxBytes))),
});
const body = z.strictObject({ sharedEntityTypes: z.array(entityType).check(z.maxLength(32)), guestQuota: z.optional(guestQuota) });

export const handler = httpHandler({ params, body }, async (req) => ({
  statusCode: 200,
  body: await putSettings(req.params.tenant, req.principal, req.body.sharedEntityTypes, req.body.guestQuota),
}));
