import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { tenantConsentReferenceWrites } from '../consent/onboarding.js';
import { allocatePartnerId, tenantRootPartnerWrites } from '../partner/onboarding.js';
import { dynamoClient } from '../platform/clients.js';
import { config } from '../platform/config.js';
import { domainEvent, outboxPut } from '../platform/outbox.js';

export interface TenantOnboarding {
  readonly tenant: string;
  readonly name: string;
  readonly rootPartner: { readonly name: string };
  readonly administrator: { readonly vorname: string; readonly nachname: string; readonly email: string };
}

export interface OnboardedTenant {
  readonly tenant: string;
  readonly rootPartnerId: string;
  readonly administratorPartnerId: string;
}

export const tenantKey = (tenant: string) => ({ PK: `T#${tenant}`, SK: 'TENANT' });

export async function findTenant(tenant: string): Promise<(OnboardedTenant & { name: string }) | undefined> {
  const result = await dynamoClient().send(new GetCommand({ TableName: config().tableName, Key: tenantKey(tenant) }));
  if (!result.Item) return undefined;
  const item = result.Item;
  return {
    tenant,
    name: String(item.name),
    rootPartnerId: String(item.rootPartnerId),
    administratorPartnerId: String(item.administratorPartnerId),
  };
}

/**
 * Creates the tenant, its TENANT consent reference and the root of its partner tree with a first
 * administrator, in one transaction with the `TenantOnboarded` outbox record. Idempotent: a tenant
 * that exists is returned as it is (`created: false`), also when two calls race.
 */
export async function onboardTenant(input: TenantOnboarding, now = new Date()): Promise<OnboardedTenant & { created: boolean }> {
  const existing = await findTenant(input.tenant);
  if (existing) return { ...pick(existing), created: false };
  const ids = { rootPartnerId: await allocatePartnerId(), administratorPartnerId: await allocatePartnerId() };
  const tenantPut = {
    Put: {
      TableName: config().tableName,
      Item: { ...tenantKey(input.tenant), entityType: 'Tenant', tenant: input.tenant, name: input.name, ...ids, createdAt: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
  const event = domainEvent('mydata.platform', 'TenantOnboarded', { tenant: input.tenant, ...ids }, now);
  try {
    await dynamoClient().send(
      new TransactWriteCommand({
        TransactItems: [
          tenantPut,
          ...tenantConsentReferenceWrites(input.tenant, now),
          ...tenantRootPartnerWrites({ tenant: input.tenant, rootName: input.rootPartner.name, administrator: input.administrator }, ids),
          outboxPut(event),
        ],
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    const winner = await findTenant(input.tenant);
    if (!winner) throw error;
    return { ...pick(winner), created: false };
  }
  return { tenant: input.tenant, ...ids, created: true };
}

const pick = (t: OnboardedTenant): OnboardedTenant => ({
  tenant: t.tenant,
  rootPartnerId: t.rootPartnerId,
  administratorPartnerId: t.administratorPartnerId,
});

