import { config } from '../platform/config.js';
import { partnerEvent } from './events.js';
import { allocatePartnerId, partnerIdBinding } from './ids.js';
import { einstellungsrechtKey, ENTITY } from './keys.js';
import { partnerItem, type PartnerRecord } from './model.js';
import { putSelfEinstellungsrecht } from './write-items.js';
import { allRechte, noRechte } from './rechte.js';
import type { TransactItem } from '../platform/table/index.js';

export { allocatePartnerId };

export interface TenantRootInput {
  tenant: string;
  rootName: string;
  administrator: { vorname: string; nachname: string; email: string };
}

/**
 * The writes that give a new tenant its partner tree: the root ORGANISATION, an administrator PERSON
 * below it holding every right and the Einstellungsrecht on the root (and so, implicitly, on the
 * whole tree), both ids bound platform-wide, and a `PartnerCreated` event for each.
 *
 * Put these nine items in one TransactItems together with the tenant record. The partner, id
 * and Einstellungsrecht Puts are conditional on their item not existing yet (ids may be reservations
 * from `allocatePartnerId`), so a second run with
 * the same ids cancels the whole transaction instead of overwriting a tree the administrator may
 * have changed since; the tenant record's own condition is what decides idempotency.
 */
export function tenantRootPartnerWrites(
  input: TenantRootInput,
  ids: { rootPartnerId: string; administratorPartnerId: string },
): TransactItem[] {
  const { tenant } = input;
  const { rootPartnerId, administratorPartnerId } = ids;
  const now = new Date().toISOString();
  const TableName = config().tableName;
  const base = { tenant, locked: false, kennzeichen: {}, lizenzen: {}, version: 1, createdAt: now, updatedAt: now };
  const root: PartnerRecord = {
    ...base,
    partnerId: rootPartnerId,
    typ: 'ORGANISATION',
    path: [],
    rechte: noRechte(),
    attributes: { name: input.rootName },
  };
  const administrator: PartnerRecord = {
    ...base,
    partnerId: administratorPartnerId,
    typ: 'PERSON',
    parentId: rootPartnerId,
    path: [rootPartnerId],
    rechte: allRechte(),
    attributes: {
      vorname: input.administrator.vorname,
      nachname: input.administrator.nachname,
      email: input.administrator.email,
    },
  };
  const notThere = 'attribute_not_exists(PK)';
  return [
    partnerIdBinding(tenant, rootPartnerId, now),
    partnerIdBinding(tenant, administratorPartnerId, now),
    { Put: { TableName, Item: partnerItem(root), ConditionExpression: notThere } },
    { Put: { TableName, Item: partnerItem(administrator), ConditionExpression: notThere } },
    {
      Put: {
        TableName,
        Item: {
          ...einstellungsrechtKey(tenant, administratorPartnerId, rootPartnerId),
          entityType: ENTITY.einstellungsrecht,
          tenant,
          holder: administratorPartnerId,
          target: rootPartnerId,
          grantedAt: now,
        },
        ConditionExpression: notThere,
      },
    },
    // Everyone manages itself; stored so `administrierbare` lists it (as upstream does).
    putSelfEinstellungsrecht(tenant, rootPartnerId, now),
    putSelfEinstellungsrecht(tenant, administratorPartnerId, now),
    partnerEvent('PartnerCreated', { tenant, partnerId: rootPartnerId, typ: 'ORGANISATION', root: true }),
    partnerEvent('PartnerCreated', {
      tenant,
      partnerId: administratorPartnerId,
      parentId: rootPartnerId,
      typ: 'PERSON',
      einstellungsrechtAuf: [rootPartnerId],
    }),
  ];
}
