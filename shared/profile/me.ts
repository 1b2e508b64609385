import type { GuestCaller } from './caller.js';
import { requireUsable } from './consent-port.js';
import { loadContext } from './context.js';
import { profileEvent } from './events.js';
import { profileErrors } from './errors.js';
import { type ItemAddress, itemPut, keyOf, openItem, sealItem, visibleItem, writeGuards } from './items.js';
import { PERSON, SHARED_SCOPE } from './keys.js';
import type { DataItem } from './model.js';
import { retrying } from './partner-data.js';
import { usageChange, usageKey, usageWrite } from './quota.js';
import { recordRelationIfNew } from './relations.js';
import { transact } from '../platform/table/index.js';

/**
 * The guest's own profile: one `Person` item (a shared entity type: every partner with a relation
 * reads it through a guest token issued to its app). Encrypted like every other item.
 */
export const PERSON_ADDRESS: ItemAddress = { entityType: PERSON, scope: SHARED_SCOPE, name: 'me' };

export interface MeView {
  readonly id: string;
  readonly tenant: string;
  readonly consentReference: string;
  readonly profile: Record<string, unknown>;
  readonly updatedAt?: string;
}

export async function getMe(caller: GuestCaller): Promise<MeView> {
  const key = keyOf(caller, PERSON_ADDRESS);
  const context = await loadContext(caller, PERSON, [key]);
  await recordRelationIfNew(context);
  const base = { id: caller.guest, tenant: caller.tenant, consentReference: context.ref };
  if (!context.row<DataItem>(key)) {
    // Nothing stored yet: an empty profile, under the same rules as a stored one.
    requireUsable(context.consent, context.ref, PERSON);
    if (context.relationState === 'ended') throw profileErrors.relationEnded(caller.partnerId!);
    return { ...base, profile: {} };
  }
  const item = visibleItem(context, key, () => profileErrors.profileNotFound());
  return { ...base, profile: (await openItem(context, item)) as Record<string, unknown>, updatedAt: item.updatedAt };
}

export async function putMe(caller: GuestCaller, profile: Record<string, unknown>): Promise<{ view: MeView; created: boolean }> {
  const json = JSON.stringify(profile);
  return retrying(async () => {
    const key = keyOf(caller, PERSON_ADDRESS);
    const context = await loadContext(caller, PERSON, [key, usageKey(caller.tenant, caller.guest)]);
    const existing = context.row<DataItem>(key) ? visibleItem(context, key, () => profileErrors.profileNotFound()) : undefined;
    const item = await sealItem(context, { address: PERSON_ADDRESS, data: profile, json, existing }, new Date().toISOString());
    // Announced (ids and version only) so the partners related to the guest learn of it (the CRM audience).
    const announced = profileEvent('ProfileChanged', caller.tenant, {
      guest: caller.guest, consentReference: context.ref, itemId: item.id, version: item.version, change: existing ? 'updated' : 'created',
      ...(caller.partnerId ? { partnerId: caller.partnerId } : {}), ...(caller.clientId ? { clientId: caller.clientId } : {}),
    });
    await transact([itemPut(item, existing), ...writeGuards(context, item.sealedWith.grantBlob), await usageWrite(context, usageChange(item, existing)), announced]);
    const view = { id: caller.guest, tenant: caller.tenant, consentReference: context.ref, profile, updatedAt: item.updatedAt };
    return { view, created: !existing };
  });
}
