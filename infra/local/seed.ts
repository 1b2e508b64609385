import type { LocalIssuer } from './issuer.js';

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
] as const;

export interface SeedResult {
  readonly tenant: string;
  readonly rootPartnerId: string;
  readonly administratorPartnerId: string;
}

/** Seeds through the public API with a system token, exactly as an operator would. */
export async function seedDemo(apiUrl: string, issuer: LocalIssuer): Promise<SeedResult> {
  const token = await issuer.sign({ principal: 'system', sub: 'seed' });
  const put = async (path: string, body: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
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
  return {
    tenant: DEMO_TENANT,
    rootPartnerId: String(tenant.rootPartnerId),
    administratorPartnerId: String(tenant.administratorPartnerId),
  };
}
