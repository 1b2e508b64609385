import * as z from 'zod/mini';
import { tenantConsentReferenceWrites } from '../consent/onboarding.js';
import { allocatePartnerId, tenantRootPartnerWrites } from '../partner/onboarding.js';
import { config } from '../platform/config.js';
import { ConditionFailed, entity, getRow, transact } from '../platform/table/index.js';
import { outboxPut } from '../platform/outbox.js';
import { platformEvent } from './events.js';

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

/** The tenant record of the platform: its name, its partner tree's root and first administrator. */
export const Tenant = entity({
  type: 'Tenant',
  table: 'main',
  key: tenantKey,
  row: z.looseObject({ name: z.string(), rootPartnerId: z.string(), administratorPartnerId: z.string() }),
});

export async function findTenant(tenant: string): Promise<(OnboardedTenant & { name: string }) | undefined> {
  const item = Tenant.parseOptional(await getRow('main', Tenant.key(tenant), false));
  if (!item) return undefined;
  return { tenant, name: item.name, rootPartnerId: item.rootPartnerId, administratorPartnerId: item.administratorPartnerId };
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
  const event = platformEvent('TenantOnboarded', { tenant: input.tenant, ...ids }, now);
  try {
    await transact([
      tenantPut,
      ...tenantConsentReferenceWrites(input.tenant, now),
      ...tenantRootPartnerWrites({ tenant: input.tenant, rootName: input.rootPartner.name, administrator: input.administrator }, ids),
      outboxPut(event),
    ]);
  } catch (error) {
    // Lost the race to a concurrent onboarding of the same tenant: the winner's tenant is the answer.
    if (!(error instanceof ConditionFailed)) throw error;
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

