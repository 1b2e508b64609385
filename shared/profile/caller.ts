import type { Principal } from '../platform/principal.js';
import { profileErrors } from './errors.js';

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

/** Only a signed-in guest owns a profile: partners without a guest, anonymous callers and admins get 403. */
export function guestCaller(principal: Principal, issuedAt?: number): GuestCaller {
  if (principal.kind !== 'guest' || !principal.tenant) throw profileErrors.guestRequired();
  return {
    tenant: principal.tenant,
    guest: principal.sub,
    partnerId: principal.partnerId,
    clientId: principal.partnerId ? principal.clientId : undefined,
    issuedAt,
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
