import { config } from '../platform/config.js';
import { loadAccess, type PartnerView } from './access.js';
import type { CallerRef } from './caller.js';
import { partnerEvent } from './events.js';
import { EINSTELLUNG_PREFIX, ENTITY, UEBERNAHME_PREFIX, uebernahmeRechtKey } from './keys.js';
import { type PageOf, pageOf, type PageRequest } from './paging.js';
import { ConditionFailed, transact } from '../platform/table/index.js';
import { queryGrantPage } from './store.js';

/** Einstellungsrecht and Zugriffsrecht (Übernahmerecht) between partners. */
const access = (caller: CallerRef, targetIds: string[], uebernahmeHolders?: string[]) =>
  loadAccess({ tenant: caller.tenant, callerId: caller.partnerId, targetIds, uebernahmeHolders });

async function grantPage(caller: CallerRef, partnerId: string, prefix: string, page: PageRequest): Promise<PageOf> {
  (await access(caller, [partnerId])).visible(partnerId);
  const { targets, more } = await queryGrantPage(caller.tenant, partnerId, prefix, page);
  return pageOf(targets, more, page);
}

/** Partners `partnerId` holds the Einstellungsrecht on explicitly; itself always (stored at creation). */
export const administrierbare = (caller: CallerRef, partnerId: string, page: PageRequest) =>
  grantPage(caller, partnerId, EINSTELLUNG_PREFIX, page);

/** Partners whose Vorgänge `partnerId` may take over explicitly (the implicit ones below are omitted, as upstream). */
export const uebernehmbare = (caller: CallerRef, partnerId: string, page: PageRequest) =>
  grantPage(caller, partnerId, UEBERNAHME_PREFIX, page);

export async function getUebernahmeRecht(
  caller: CallerRef,
  partnerId: string,
  target: string,
): Promise<{ target: PartnerView; uebernehmbar: boolean }> {
  const view = await access(caller, [partnerId, target], [partnerId]);
  view.visible(partnerId);
  return { target: view.visible(target), uebernehmbar: view.uebernehmbar(partnerId, target) };
}

/**
 * `partnerId` gets the Zugriffsrecht on `target`'s Vorgänge. The caller needs the Einstellungsrecht
 * on both (without it both are simply not found). Granting twice is harmless and emits once.
 */
export async function grantUebernahmeRecht(caller: CallerRef, partnerId: string, target: string): Promise<void> {
  const view = await access(caller, [partnerId, target]);
  view.visible(partnerId);
  view.visible(target);
  const now = new Date().toISOString();
  try {
    await transact([
      {
        Put: {
          TableName: config().tableName,
          Item: {
            ...uebernahmeRechtKey(caller.tenant, partnerId, target),
            entityType: ENTITY.uebernahmeRecht,
            tenant: caller.tenant,
            holder: partnerId,
            target,
            grantedBy: caller.partnerId,
            grantedAt: now,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      partnerEvent('UebernahmeRechtGranted', { tenant: caller.tenant, partnerId, target, grantedBy: caller.partnerId }),
    ]);
  } catch (error) {
    // Already granted (the Put's condition failed): nothing to do. Anything else is an error.
    if (!(error instanceof ConditionFailed) || !error.failedAt(0)) throw error;
  }
}
