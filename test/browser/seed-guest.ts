import type { LocalIssuer } from '../../infra/local/issuer.js';

/**
 * A guest with something of everything the portal shows, made through the public API as partner apps and a
 * friend would make it: a consent reference with the demo classes granted, a profile, partner data of two
 * apps, an order, a share a friend imported twice over two apps, and a copy of the friend's share.
 * Plain fetch (no jest), so the screenshot script uses it too.
 */
export interface SeedInput {
  readonly apiUrl: string;
  readonly issuer: LocalIssuer;
  readonly tenant: string;
  readonly partnerId: string;
  readonly sub: string;
  readonly givenName: string;
  readonly familyName: string;
}

export interface SeededGuest {
  readonly sub: string;
  readonly consentReference: string;
  readonly sharingIdentifier: string;
  readonly importedCopy: string;
}

const PROFILE = 'profile_data_read profile_data_write profile_data_share';
const CONSENT = 'profile_consent_view profile_consent_manage';

export async function seedGuest(input: SeedInput): Promise<SeededGuest> {
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${input.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const token = (sub: string, names: { given_name?: string; family_name?: string }, client?: string, scope = PROFILE) =>
    input.issuer.sign({ principal: 'guest', tenant: input.tenant, sub, scope, ...names, ...(client ? { partner_id: input.partnerId, client_id: client } : {}) });
  const consent = `/profile-consent/v1/${input.tenant}`;

  async function withReference(sub: string): Promise<string> {
    const bearer = await token(sub, {}, undefined, CONSENT);
    const created = await call('POST', `${consent}/consentReferences`, bearer, {});
    const ref = String(created.id);
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if ((await call('GET', `${consent}/consentReferences/${ref}`, bearer)).status === 'active') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const consentClass of ['PartnerData', 'MasterData']) await call('PUT', `${consent}/consents/${ref}/classes/${consentClass}`, bearer, { granted: true });
    return ref;
  }

  const names = { given_name: input.givenName, family_name: input.familyName };
  const ref = await withReference(input.sub);
  const shop = await token(input.sub, names, 'comics-shop-app');
  const tickets = await token(input.sub, names, 'ticket-app');
  await call('PUT', '/profile/v1/me', shop, { givenName: input.givenName, familyName: input.familyName, email: `${input.sub}@example.org`, locale: 'de-AT' });
  await call('PUT', '/profile/v1/partnerdata/wishlist', shop, { titles: ['Asterix 41', 'Lucky Luke 102'], notify: true });
  await call('PUT', '/profile/v1/partnerdata/reading-list', shop, { reading: ['Sandman 1'] });
  await call('PUT', '/profile/v1/data/Order/order-1001', shop, { total: 24.9, currency: 'EUR', items: 2 });
  await call('PUT', '/profile/v1/data/Ticket/comic-con-2026', tickets, { event: 'Comic Con Vienna', seat: 'B12' });
  const share = await call('PUT', '/profile/v1/partnerdata/wishlist/share', shop, { maxImports: 10 });
  const sharingIdentifier = String(share.sharingIdentifier);

  // A friend imports the wishlist through two apps (counted once) and shares a list the guest imports.
  const friend = `${input.sub}-friend`;
  await withReference(friend);
  const friendNames = { given_name: 'Clara', family_name: 'Fischer' };
  await call('PUT', `/profile/v1/import/${sharingIdentifier}`, await token(friend, friendNames, 'comics-shop-app'));
  await call('PUT', `/profile/v1/partnerdata/recommendations`, await token(friend, friendNames, 'comics-shop-app'), { recommended: ['Saga', 'Maus'] });
  const friendShare = await call('PUT', '/profile/v1/partnerdata/recommendations/share', await token(friend, friendNames, 'comics-shop-app'), {});
  const imported = await call('PUT', `/profile/v1/import/${String(friendShare.sharingIdentifier)}`, shop);
  return { sub: input.sub, consentReference: ref, sharingIdentifier, importedCopy: String(imported.name) };
}
