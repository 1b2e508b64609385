import { forbidden } from '../platform/errors.js';
import type { Principal } from '../platform/principal.js';
import { isPartnerId } from './ids.js';

/** The partner acting, taken from its token: tenant, `partner_id` (the caller partner) and `sub`. */
export interface CallerRef {
  readonly tenant: string;
  readonly partnerId: string;
  readonly sub: string;
}

/** The partner API is for partner tokens only; other principals are refused whatever their scopes. */
export function partnerCaller(principal: Principal): CallerRef {
  if (principal.kind !== 'partner') throw forbidden('The partner API needs a partner token', 'PrincipalNotAllowed');
  const partnerId = principal.partnerId ?? '';
  if (!principal.tenant || !isPartnerId(partnerId)) {
    throw forbidden('The token does not name a calling partner (partner_id)', 'CallerUnknown');
  }
  return { tenant: principal.tenant, partnerId, sub: principal.sub };
}
