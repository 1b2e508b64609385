import * as z from 'zod/mini';
import { PARTNER_ID_PATTERN } from '../../shared/platform/partner-id.js';
import type { Principal } from '../../shared/platform/principal.js';
import { requirePrincipal, requireScope } from '../../shared/platform/principal.js';
import { NOTIFICATIONS_MANAGE } from '../../shared/platform/scopes.js';
import { notificationErrors } from '../../shared/notifications/errors.js';
import { LIMITS } from '../../shared/notifications/limits.js';
import { NOTICE_KINDS } from '../../shared/notifications/notices.js';
import { requireRegistered } from '../../shared/notifications/partner.js';
import type { PartnerCaller } from '../../shared/notifications/subscriptions.js';

/**
 * What every partner route of the notification service shares: the caller is the token's partner in the
 * token's tenant (never a tenant or partner named in the request), with `profile_notifications_manage`, a
 * partner id of the one platform pattern (403 `PartnerTokenRequired`), registered and unlocked in the tenant
 * (403 `PartnerNotRegistered`) — the CRM pull's rule, on reads and writes alike.
 */
export async function partnerOf(principal: Principal): Promise<PartnerCaller> {
  requirePrincipal(principal, 'partner');
  requireScope(principal, NOTIFICATIONS_MANAGE);
  if (!principal.tenant || !principal.partnerId || !PARTNER_ID_PATTERN.test(principal.partnerId)) throw notificationErrors.notAPartner();
  return requireRegistered({ tenant: principal.tenant, partnerId: principal.partnerId });
}

export const subscriptionParams = z.object({ subscriptionId: z.uuid() });

/**
 * A webhook URL: no whitespace or control characters anywhere (the URL parser would silently drop CR/LF/TAB
 * and encode spaces, so what was typed and what is called would differ), then stored and answered as parsed
 * (`URL.href`: `0x7f000001` is `127.0.0.1`, dot segments resolved). Text the parser refuses is passed on as
 * typed, for the SSRF guard's 400 `EndpointRefused` (malformed).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
const UNSAFE_IN_URL = /[\s\u0000-\u001f\u007f-\u009f]/u;
export const url = z.pipe(
  z.string().check(z.minLength(8), z.maxLength(2048), z.refine((text) => !UNSAFE_IN_URL.test(text), 'must not contain whitespace or control characters')),
  z.transform((text) => (URL.canParse(text) ? new URL(text).href : text)),
);
export const entityTypes = z.array(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'not an entity type name'))).check(
  z.minLength(1),
  z.maxLength(LIMITS.entityTypesPerSubscription),
);
export const notices = z.array(z.enum(NOTICE_KINDS)).check(z.minLength(1), z.maxLength(NOTICE_KINDS.length));
