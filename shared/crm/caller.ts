import { type Principal, requirePrincipal, requireScope } from '../platform/principal.js';
import { PARTNER_ID_PATTERN } from '../platform/partner-id.js';
import { CRM_READ } from '../platform/scopes.js';
import { crmErrors } from './errors.js';

/** The partner pulling its CRM data: the token's tenant and `partner_id` (principal `partner`, `profile_crm_read`). */
export interface PartnerCaller {
  readonly tenant: string;
  readonly partnerId: string;
}

export function partnerCaller(principal: Principal): PartnerCaller {
  requirePrincipal(principal, 'partner');
  requireScope(principal, CRM_READ);
  if (!principal.tenant || !principal.partnerId || !PARTNER_ID_PATTERN.test(principal.partnerId)) throw crmErrors.partnerRequired();
  return { tenant: principal.tenant, partnerId: principal.partnerId };
}
