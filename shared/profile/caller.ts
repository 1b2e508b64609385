import type { Principal } from '../platform/principal.js';
import { requireValidGuestId } from './consent-port.js';
import { profileErrors } from './errors.js';
import { PARTNER_ID_PATTERN } from '../platform/partner-id.js';

/** A signed-in guest acting on their own profile, maybe through a partner's app. */
export interface GuestCaller {
  readonly tenant: string;
  readonly guest: string;
  /** The partner whose app the guest signed in through; absent on the platform's own pages. */
  readonly partnerId?: string;
  readonly clientId?: string;
  /** Token `iat` in epoch seconds: a token issued after the guest ended a relation restores it. */
  readonly issuedAt?: number;
  readonly givenName?: string;
  readonly familyName?: string;
}

/** A guest signed in through a partner's app (both `partner_id` and `client_id`). */
export interface AppCaller extends GuestCaller {
  readonly partnerId: string;
  readonly clientId: string;
}

/** Control characters (C0, DEL, C1): never part of an identifier, never copied into keys, events or logs. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** `client_id`: part of the sort key of the app's data and shares (`#` separates key segments). */
const MAX_CLIENT_ID = 256;

/**
 * The token's identifiers become parts of profile's keys (`T#<tenant>#GUEST#<sub>`, `REL#<partner_id>`,
 * `ITEM#PartnerData#<client_id>#<name>`) and of events: a value no key can hold, or one that would blur
 * key segments, is a clear 400 before anything is read, never a 500 from DynamoDB.
 */
function requireUsableClaims(principal: Principal): void {
  requireValidGuestId(principal.sub);
  if (CONTROL.test(principal.sub)) throw profileErrors.invalidClaim('sub', 'must not contain control characters');
  if (principal.partnerId !== undefined && !PARTNER_ID_PATTERN.test(principal.partnerId)) {
    throw profileErrors.invalidClaim('partner_id', 'must be 1 to 64 letters, digits, _ or -');
  }
  const client = principal.clientId;
  if (client !== undefined && (client.length > MAX_CLIENT_ID || /[#\s]/.test(client) || CONTROL.test(client))) {
    throw profileErrors.invalidClaim('client_id', `must be 1 to ${MAX_CLIENT_ID} characters without #, spaces or control characters`);
  }
}

/**
 * Only a signed-in guest owns a profile: partners without a guest, anonymous callers and admins get 403;
 * a guest token whose identifiers cannot be keys gets 400 (`InvalidUserId`, `InvalidTokenClaim`).
 */
export function guestCaller(principal: Principal): GuestCaller {
  if (principal.kind !== 'guest' || !principal.tenant) throw profileErrors.guestRequired();
  requireUsableClaims(principal);
  return {
    tenant: principal.tenant,
    guest: principal.sub,
    partnerId: principal.partnerId,
    clientId: principal.partnerId ? principal.clientId : undefined,
    issuedAt: principal.issuedAt,
    givenName: principal.givenName,
    familyName: principal.familyName,
  };
}

export const throughApp = (caller: GuestCaller): caller is AppCaller =>
  caller.partnerId !== undefined && caller.clientId !== undefined;

export function requireApp(caller: GuestCaller): AppCaller {
  if (!throughApp(caller)) throw profileErrors.partnerAppRequired();
  return caller;
}
