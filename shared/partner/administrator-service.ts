import { config } from '../platform/config.js';
import { notFound } from '../platform/errors.js';
import { partnerErrors } from './errors.js';
import { partnerEvent } from './events.js';
import { einstellungsrechtKey, ENTITY, partnerKey } from './keys.js';
import { allRechte, type Rechte } from './rechte.js';
import { transact, untilWon } from '../platform/table/index.js';
import { getPartners, PARTNER_RACE } from './store.js';
import { putSelfEinstellungsrecht } from './write-items.js';

/**
 * The platform operator's way back for a tenant whose administrator lost what only it could give
 * (decision 0104): Europace's own Postman collection switches the administrator's `echtgeschaeft` off,
 * and since a right can only be granted by someone who holds it, nobody in the tenant can ever grant
 * it again. Restoring gives the tenant's onboarded administrator every right, lifts its own lock and
 * puts back its Einstellungsrecht on the tenant's root (and on itself) — exactly its state at
 * onboarding, nothing else: no other partner, no master data, no place in the tree is touched.
 * One transaction, conditional on the version read, with an `AdministratorRestored` event.
 */
export interface RestoredAdministrator {
  readonly partnerId: string;
  readonly rootPartnerId: string;
  readonly rechte: Rechte;
  readonly gesperrt: false;
}

export async function restoreAdministrator(tenant: string, administratorId: string, rootPartnerId: string, operator: string): Promise<RestoredAdministrator> {
  const TableName = config().tableName;
  return untilWon<RestoredAdministrator>(async () => {
    const admin = (await getPartners(tenant, [administratorId])).get(administratorId);
    if (!admin) throw notFound(`The administrator ${administratorId} of tenant ${tenant} no longer exists`, 'AdministratorNotFound');
    const now = new Date().toISOString();
    const rechte = allRechte();
    await transact([
      {
        Update: {
          TableName,
          Key: { ...partnerKey(tenant, administratorId) },
          UpdateExpression: 'SET rechte = :r, locked = :f, version = :nv, updatedAt = :u',
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':r': rechte, ':f': false, ':nv': admin.version + 1, ':u': now, ':v': admin.version },
        },
      },
      {
        Put: {
          TableName,
          Item: { ...einstellungsrechtKey(tenant, administratorId, rootPartnerId), entityType: ENTITY.einstellungsrecht, tenant, holder: administratorId, target: rootPartnerId, grantedBy: 'system', grantedAt: now },
        },
      },
      putSelfEinstellungsrecht(tenant, administratorId, now),
      partnerEvent('AdministratorRestored', { tenant, partnerId: administratorId, rootPartnerId, restoredBy: operator, rechte, gesperrt: false }),
    ]);
    return { partnerId: administratorId, rootPartnerId, rechte, gesperrt: false };
  }, partnerErrors.administratorBusy, PARTNER_RACE);
}
