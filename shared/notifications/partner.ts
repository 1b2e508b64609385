import { partnerRowKeys, requireRegisteredPartner } from '../profile/partner-port.js';
import { readRows } from '../profile/store.js';
import type { PartnerCaller } from './subscriptions.js';

/**
 * The partner behind a notification route must be registered and unlocked in its tenant (its own lock or an
 * ancestor's), as for the CRM pull (decision 0412): else 403 `PartnerNotRegistered`, before anything of its
 * subscriptions is read or written. One BatchGet of the partner row (and its ancestors, decision 0303's port).
 */
export async function requireRegistered(caller: PartnerCaller): Promise<PartnerCaller> {
  await requireRegisteredPartner(caller.tenant, caller.partnerId, await readRows(partnerRowKeys(caller.tenant, caller.partnerId)));
  return caller;
}
