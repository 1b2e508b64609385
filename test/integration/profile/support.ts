import { randomBytes } from 'node:crypto';
import { type ApiResponse, call, onboardTenant, systemToken, tokenFor, uniqueTenant, waitFor } from '../../support/api.js';
import { CONSENT_MANAGE, CONSENT_VIEW, DATA_READ, DATA_SHARE, DATA_WRITE, scopeClaim } from '../../../shared/platform/scopes.js';

/**
 * A tenant set up for profile tests through the public API only: onboarded (its root and administrator
 * partners serve as two partners), consent classes and the `PartnerData` and `Person` schemas in its
 * metamodel, and guests that own a consent reference (created through consent's own endpoint).
 */
export const ALL_PROFILE = scopeClaim(DATA_READ, DATA_WRITE, DATA_SHARE);
const CONSENT = scopeClaim(CONSENT_VIEW, CONSENT_MANAGE);

export interface Guest {
  readonly sub: string;
  readonly ref: string;
  /** A token of this guest through `app` of `partner` (default: partner A's app-a). */
  token(options?: { partner?: string; client?: string; scope?: string; noPartner?: boolean }): Promise<string>;
  consentToken(): Promise<string>;
}

export interface World {
  readonly tenant: string;
  readonly partnerA: string;
  readonly partnerB: string;
  tenantToken(): Promise<string>;
  guest(names?: { givenName?: string; familyName?: string }): Promise<Guest>;
  setConsent(guest: Guest, schema: string, granted: boolean): Promise<ApiResponse>;
  block(guest: Guest, blocked: boolean): Promise<ApiResponse>;
}

async function ensureClass(name: string): Promise<void> {
  const response = await call('PUT', `/admin/v1/consentClasses/${name}`, {
    token: await systemToken(),
    body: { title: name, description: `${name} (profile tests)` },
  });
  if (response.status >= 300) throw new Error(`consent class ${name}: ${response.status} ${response.text}`);
}

/**
 * `extraSchemas`: further user-owned entity types in the tenant's metamodel (class `PartnerData`, as the demo
 * tenant's `Order` and `Ticket`), for tests of the data API beyond partner data.
 */
export async function profileWorld(options: { extraSchemas?: readonly string[] } = {}): Promise<World> {
  const tenant = uniqueTenant('prof');
  const { rootPartnerId: partnerA, administratorPartnerId: partnerB } = await onboardTenant(tenant);
  const tenantToken = () => tokenFor({ principal: 'tenant', tenant, scope: CONSENT });
  await ensureClass('PartnerData');
  await ensureClass('ProfileData');
  const schemas: ReadonlyArray<readonly [string, string]> = [['PartnerData', 'PartnerData'], ['Person', 'ProfileData'], ...(options.extraSchemas ?? []).map((s) => [s, 'PartnerData'] as const)];
  for (const [schema, consentClass] of schemas) {
    const response = await call('PUT', `/profile-consent/v1/${tenant}/schemas/${schema}`, {
      token: await tenantToken(),
      body: { consentClass, owner: 'user', title: schema, description: `${schema} of the guest` },
    });
    if (response.status >= 300) throw new Error(`schema ${schema}: ${response.status} ${response.text}`);
  }

  async function guest(names: { givenName?: string; familyName?: string } = {}): Promise<Guest> {
    const sub = `g-${randomBytes(5).toString('hex')}`;
    const consentToken = () => tokenFor({ principal: 'guest', tenant, sub, scope: CONSENT });
    const created = await call('POST', `/profile-consent/v1/${tenant}/consentReferences`, { token: await consentToken(), body: {} });
    if (created.status >= 300) throw new Error(`consent reference: ${created.status} ${created.text}`);
    const ref = created.body.id as string;
    await waitFor(async () => {
      const state = await call('GET', `/profile-consent/v1/${tenant}/consentReferences/${ref}`, { token: await consentToken() });
      return state.body?.status === 'active';
    });
    return {
      sub,
      ref,
      consentToken,
      token: (o = {}) =>
        tokenFor({
          principal: 'guest',
          tenant,
          sub,
          partner: o.noPartner ? undefined : (o.partner ?? partnerA),
          client: o.noPartner ? undefined : (o.client ?? 'app-a'),
          scope: o.scope ?? ALL_PROFILE,
          givenName: names.givenName,
          familyName: names.familyName,
        }),
    };
  }

  return {
    tenant,
    partnerA,
    partnerB,
    tenantToken,
    guest,
    setConsent: async (g, schema, granted) =>
      call('PUT', `/profile-consent/v1/${tenant}/consents/${g.ref}/schemas/${schema}`, { token: await g.consentToken(), body: { granted } }),
    block: async (g, blocked) =>
      call('PUT', `/profile-consent/v1/${tenant}/consentReferences/${g.ref}/block`, { token: await tenantToken(), body: { blocked } }),
  };
}
