import { forbidden } from '../platform/errors.js';
import { type Principal, requireSameTenant, requireScope } from '../platform/principal.js';
import { CONSENT_MANAGE as MANAGE, CONSENT_VIEW as VIEW } from '../platform/scopes.js';
import { ENTITY, settingsKey } from './keys.js';
import { DEFAULT_SHARED_TYPES } from './policy.js';
import { type Quota, quotaOf } from './quota.js';
import { putRow } from '../platform/table/index.js';
import { mainTable, readRows, type Row } from './store.js';

/**
 * Tenant configuration of the profile context: which entity types every partner with a relation to the
 * guest may read (issue 6: "which types are shared is tenant configuration", defaults `Person`, `Party`).
 * One item per tenant, read in the same BatchGetItem as the data it governs, so a change applies to the
 * very next read (no cache) and costs no extra call.
 *
 * Who: a tenant administrator (principal `tenant`) of this tenant, with `profile_consent_manage` to change
 * it — the scope that already governs the tenant's metamodel, of which entity types are part — and
 * `profile_consent_view` or `…_manage` to read it. Another tenant's token gets 404.
 */
export interface ProfileSettings {
  readonly tenant: string;
  readonly sharedEntityTypes: readonly string[];
  /** True while the tenant has not configured anything: the defaults apply. */
  readonly defaults: boolean;
  /** The per-guest quota on stored data in this tenant (docs/profile.md, "Quota"): the platform's unless set lower. */
  readonly guestQuota: Quota;
  readonly updatedAt?: string;
}

/** The shared types of a settings row as read with the data (absent: the defaults). */
export const sharedTypesOf = (row: Row | undefined): readonly string[] =>
  Array.isArray(row?.sharedEntityTypes) ? (row.sharedEntityTypes as string[]) : DEFAULT_SHARED_TYPES;

function requireTenantAdmin(principal: Principal, tenant: string, ...scopes: string[]): void {
  requireSameTenant(principal, tenant);
  if (principal.kind !== 'tenant') throw forbidden('Profile settings are for the tenant administrator', 'PrincipalNotAllowed');
  requireScope(principal, ...scopes);
}

const view = (tenant: string, row: Row | undefined): ProfileSettings => ({
  tenant,
  sharedEntityTypes: sharedTypesOf(row),
  defaults: row === undefined,
  guestQuota: quotaOf(row),
  ...(row?.updatedAt ? { updatedAt: String(row.updatedAt) } : {}),
});

export async function getSettings(tenant: string, principal: Principal): Promise<ProfileSettings> {
  requireTenantAdmin(principal, tenant, VIEW, MANAGE);
  return view(tenant, (await readRows([settingsKey(tenant)])).main(settingsKey(tenant)));
}

export async function putSettings(tenant: string, principal: Principal, sharedEntityTypes: readonly string[], guestQuota?: Partial<Quota>): Promise<ProfileSettings> {
  requireTenantAdmin(principal, tenant, MANAGE);
  const row = {
    tenant, sharedEntityTypes: [...new Set(sharedEntityTypes)], updatedAt: new Date().toISOString(), updatedBy: principal.sub,
    ...(guestQuota ? { guestQuota } : {}),
  };
  await putRow({ TableName: mainTable(), Item: { ...settingsKey(tenant), entityType: ENTITY.settings, ...row } });
  return view(tenant, row);
}

/** For reads that do not load an operation context (the access overview). */
export async function sharedTypes(tenant: string): Promise<readonly string[]> {
  return sharedTypesOf((await readRows([settingsKey(tenant)])).main(settingsKey(tenant)));
}
