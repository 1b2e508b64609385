import { config } from '../platform/config.js';
import type { TransactItem } from '../platform/table/index.js';
import { ENTITY, referenceIndexKeys, referenceKey, TENANT_REF } from './keys.js';
import { GENESIS_HASH, type ReferenceItem } from './model.js';

/**
 * The writes that give a new tenant its TENANT consent reference, active at once. Conditional on the
 * reference not existing, so a second onboarding transaction fails instead of resetting it. Its key
 * material is created on the first grant (at most one KMS call then), so onboarding needs no KMS call.
 */
export function tenantConsentReferenceWrites(tenant: string, now: Date): TransactItem[] {
  const at = now.toISOString();
  const item: ReferenceItem = {
    tenant,
    ref: TENANT_REF,
    kind: 'tenant',
    status: 'active',
    blocked: false,
    createdAt: at,
    updatedAt: at,
    historySeq: 0,
    historyHash: GENESIS_HASH,
  };
  return [
    {
      Put: {
        TableName: config().tableName,
        Item: { ...referenceKey(tenant, TENANT_REF), ...referenceIndexKeys(tenant, TENANT_REF), entityType: ENTITY.reference, ...item },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
  ];
}
