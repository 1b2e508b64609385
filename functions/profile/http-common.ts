import * as z from 'zod/mini';
import { type GuestCaller, guestCaller } from '../../shared/profile/caller.js';
import { config } from '../../shared/platform/config.js';
import type { HttpEvent } from '../../shared/platform/http.js';
import type { Principal } from '../../shared/platform/principal.js';

/** What every profile handler shares: the name parameter, the guest caller, and absolute links. */

/** Object names: letters, digits, `.`, `_`, `-`; no path characters, no `#`, at most 128 characters. */
export const nameParam = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'not a partner-data name (letters, digits, . _ -; up to 128)'));
export const sharingIdParam = z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a sharing identifier'));

export const tenantParam = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,62}$/i, 'not a tenant name'));

export const PROFILE_BASE = '/profile/v1';

/** The signed-in guest, with the token's `iat` (a token issued after the guest ended a relation renews it). */
export function guestOf(request: { principal: Principal; event: HttpEvent }): GuestCaller {
  const iat = Number(request.event.requestContext?.authorizer?.jwt?.claims?.iat);
  return guestCaller(request.principal, Number.isFinite(iat) ? iat : undefined);
}

export const link = (origin: string, path: string) => `${config().publicBaseUrl || origin}${PROFILE_BASE}${path}`;
export const objectLink = (origin: string, name: string) => link(origin, `/partnerdata/${encodeURIComponent(name)}`);
