import type { LocalIssuer } from './issuer.js';
import { CONSENT_MANAGE, CONSENT_VIEW, scopeClaim } from '../../shared/platform/scopes.js';

export const DEMO_TENANT = 'mycomicsshop';

/** The consent classes of the Hybris seed, plus the class that governs partner data. */
export const DEMO_CONSENT_CLASSES = [
  { class: 'IPTracking', title: 'IP tracking', description: "Allows tracking of user's IP address" },
  { class: 'TimeZone', title: 'TimeZone', description: "Checks user's current time zone." },
  { class: 'Bounces', title: 'Bounces', description: 'Allows recording of e-mail bounces.' },
  { class: 'CartEvents', title: 'Cart events', description: 'Allows tracking of cart interactions.' },
  { class: 'CategoryViews', title: 'Category views', description: 'Allows tracking of viewed categories.' },
  { class: 'ProductViews', title: 'Product views', description: 'Allows tracking of viewed products.' },
  { class: 'PartnerData', title: 'Partner data', description: 'Data that partner apps store for the guest.' },
  { class: 'MasterData', title: 'Profile master data', description: 'Name and contact data shared with related partners.' },
] as const;

const HYBRIS = 'https://api.beta.yaas.io/metamodel/v1';

/** The demo tenant's metamodel: the schemas of the Hybris tutorials and the profile entity types. */
export const DEMO_SCHEMAS = [
  { schema: `${HYBRIS}/relations/commerce/Session/commerce/Product/commerce/VIEWED/viewCount`, consentClass: 'ProductViews', owner: 'user', title: 'Product view count' },
  { schema: `${HYBRIS}/relations/commerce/Session/commerce/Category/commerce/VIEWED/viewCount`, consentClass: 'CategoryViews', owner: 'user', title: 'Category view count' },
  { schema: `${HYBRIS}/nodes/commerce/Session/ipAddress`, consentClass: 'IPTracking', owner: 'user', title: 'IP address' },
  { schema: `${HYBRIS}/nodes/commerce/Session/timeZone`, consentClass: 'TimeZone', owner: 'user', title: 'Time zone' },
  { schema: `${HYBRIS}/nodes/commerce/Cart/entries`, consentClass: 'CartEvents', owner: 'user', title: 'Cart entries' },
  { schema: `${HYBRIS}/nodes/commerce/Mail/bounces`, consentClass: 'Bounces', owner: 'user', title: 'E-mail bounces' },
  { schema: `${HYBRIS}/nodes/commerce/Product/name`, consentClass: 'ProductViews', owner: 'tenant', title: 'Product name' },
  { schema: 'Person', consentClass: 'MasterData', owner: 'user', title: 'Person', description: 'The guest: name, e-mail and contact data' },
  { schema: 'Party', consentClass: 'MasterData', owner: 'user', title: 'Party', description: 'Organisations the guest belongs to' },
  { schema: 'PartnerData', consentClass: 'PartnerData', owner: 'user', title: 'Partner data', description: "A partner app's objects for the guest" },
  { schema: 'Order', consentClass: 'PartnerData', owner: 'user', title: 'Order', description: 'Orders placed with a partner' },
  { schema: 'Ticket', consentClass: 'PartnerData', owner: 'user', title: 'Ticket', description: 'Tickets bought from a partner' },
] as const;

export interface SeedResult {
  readonly tenant: string;
  readonly rootPartnerId: string;
  readonly administratorPartnerId: string;
}

/** Seeds through the public API with a system token, exactly as an operator would. */
export async function seedDemo(apiUrl: string, issuer: LocalIssuer): Promise<SeedResult> {
  const token = await issuer.sign({ principal: 'system', sub: 'seed' });
  const put = async (path: string, body: unknown, bearer = token) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`seed ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  for (const { class: name, ...rest } of DEMO_CONSENT_CLASSES) {
    await put(`/admin/v1/consentClasses/${name}`, { ...rest, editable: true, enabled: true });
  }
  const tenant = await put(`/admin/v1/tenants/${DEMO_TENANT}`, {
    name: 'My Comics Shop',
    rootPartner: { name: 'My Comics Shop GmbH' },
    administrator: { vorname: 'Ada', nachname: 'Admin', email: 'admin@mycomicsshop.example' },
  });
  const tenantToken = await issuer.sign({ principal: 'tenant', tenant: DEMO_TENANT, sub: 'seed', scope: scopeClaim(CONSENT_VIEW, CONSENT_MANAGE) });
  for (const { schema, ...definition } of DEMO_SCHEMAS) {
    await put(`/profile-consent/v1/${DEMO_TENANT}/schemas/${encodeURIComponent(schema)}`, { description: '', ...definition }, tenantToken);
  }
  return {
    tenant: DEMO_TENANT,
    rootPartnerId: String(tenant.rootPartnerId),
    administratorPartnerId: String(tenant.administratorPartnerId),
  };
}
