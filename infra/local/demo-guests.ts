import type { LocalIssuer } from './issuer.js';
import { DEMO_GUESTS } from './portal-sign-in.js';
import { DEMO_TENANT } from './seed.js';

/**
 * The demo guests of the local sign-in page with a little data, so a first look at the portal shows every view
 * filled: each gets a consent reference with the demo classes granted; Anna a profile, partner data and an order
 * from the demo partner's shop app and a share of her wishlist; Ben a share of his recommendations, which Anna
 * imported, and a copy of Anna's wishlist. All through the public API, as apps and the guests would make it.
 * Once only: a data directory that has it already (Anna's reference exists) is left as it is.
 */
const PROFILE = 'profile_data_read profile_data_write profile_data_share';
const CONSENT = 'profile_consent_view profile_consent_manage';
const APP = 'comics-shop-app';

export async function seedDemoGuests(apiUrl: string, issuer: LocalIssuer, partnerId: string): Promise<'seeded' | 'present'> {
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, text };
  };
  const must = async (method: string, path: string, token: string, body?: unknown) => {
    const answer = await call(method, path, token, body);
    if (answer.status >= 300) throw new Error(`demo guests: ${method} ${path} answered ${answer.status}: ${answer.text}`);
    return answer.body;
  };
  const [anna, ben] = DEMO_GUESTS;
  const names = (g: (typeof DEMO_GUESTS)[number]) => ({ given_name: g.givenName, family_name: g.familyName });
  const token = (g: (typeof DEMO_GUESTS)[number], scope: string, app?: string) =>
    issuer.sign({ principal: 'guest', tenant: DEMO_TENANT, sub: g.sub, scope, ...names(g), ...(app ? { partner_id: partnerId, client_id: app } : {}) });

  if ((await call('GET', '/profile/v1/me', await token(anna, PROFILE))).status === 200) return 'present';

  const consent = `/profile-consent/v1/${DEMO_TENANT}`;
  async function withReference(guest: (typeof DEMO_GUESTS)[number]): Promise<void> {
    const bearer = await token(guest, CONSENT);
    const ref = String((await must('POST', `${consent}/consentReferences`, bearer, {})).id);
    // Consent activates a new reference asynchronously (decision 0202): grants wait for it.
    for (let attempt = 0; (await must('GET', `${consent}/consentReferences/${ref}`, bearer)).status !== 'active'; attempt += 1) {
      if (attempt === 200) throw new Error(`demo guests: the reference of ${guest.sub} did not become active`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const consentClass of ['PartnerData', 'MasterData']) await must('PUT', `${consent}/consents/${ref}/classes/${consentClass}`, bearer, { granted: true });
  }
  await Promise.all([withReference(anna), withReference(ben)]);

  const annaShop = await token(anna, PROFILE, APP);
  const benShop = await token(ben, PROFILE, APP);
  // One guest's writes one after the other (each writes the guest's usage row); the two guests side by side.
  await Promise.all([
    (async () => {
      await must('PUT', '/profile/v1/me', annaShop, { givenName: anna.givenName, familyName: anna.familyName, email: 'anna.berger@example.org', locale: 'de-AT' });
      await must('PUT', '/profile/v1/partnerdata/wishlist', annaShop, { titles: ['Asterix 41', 'Lucky Luke 102'], notify: true });
      await must('PUT', '/profile/v1/partnerdata/reading-list', annaShop, { reading: ['Sandman 1', 'Saga 1'] });
      await must('PUT', '/profile/v1/data/Order/order-1001', annaShop, { total: 24.9, currency: 'EUR', items: 2 });
    })(),
    (async () => {
      await must('PUT', '/profile/v1/me', benShop, { givenName: ben.givenName, familyName: ben.familyName, email: 'ben.nowak@example.org', locale: 'en-GB' });
      await must('PUT', '/profile/v1/partnerdata/recommendations', benShop, { recommended: ['Maus', 'Persepolis'] });
    })(),
  ]);
  const [wishlist, recommendations] = await Promise.all([
    must('PUT', '/profile/v1/partnerdata/wishlist/share', annaShop, { maxImports: 10 }),
    must('PUT', '/profile/v1/partnerdata/recommendations/share', benShop, {}),
  ]);
  await Promise.all([
    must('PUT', `/profile/v1/import/${String(wishlist.sharingIdentifier)}`, benShop),
    must('PUT', `/profile/v1/import/${String(recommendations.sharingIdentifier)}`, annaShop),
  ]);
  return 'seeded';
}
