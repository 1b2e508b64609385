import { call, tokenFor, uniqueTenant } from '../../support/api.js';
import { profileWorld, type World } from './support.js';
import { CONSENT_MANAGE, CONSENT_VIEW } from '../../../shared/platform/scopes.js';

/** Tenant configuration of the entity types shared with every related partner (defaults Person, Party). */
let world: World;
beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

const settingsPath = () => `/profile/v1/tenants/${world.tenant}/settings`;
const share = async (types: string[]) => {
  const response = await call('PUT', settingsPath(), { token: await world.tenantToken(), body: { sharedEntityTypes: types } });
  expect(response.status).toBe(200);
  return response;
};

describe('which entity types are shared is tenant configuration', () => {
  it('defaults to Person and Party; a type removed stops being visible to related partners at once, added again it is', async () => {
    const shown = await call('GET', settingsPath(), { token: await world.tenantToken() });
    expect(shown.body).toEqual({ tenant: world.tenant, sharedEntityTypes: ['Person', 'Party'], defaults: true, guestQuota: { maxItems: 1000, maxBytes: 16 * 1024 * 1024 } });

    const guest = await world.guest();
    await call('PUT', '/profile/v1/me', { token: await guest.token(), body: { givenName: 'Rita' } });
    const viaB = await guest.token({ partner: world.partnerB, client: 'app-b' });
    expect((await call('GET', '/profile/v1/me', { token: viaB })).body.profile).toEqual({ givenName: 'Rita' });

    expect((await share(['Party'])).body).toMatchObject({ sharedEntityTypes: ['Party'], defaults: false });
    expect((await call('GET', '/profile/v1/me', { token: viaB })).status).toBe(404); // related, but Person is no longer shared
    expect((await call('GET', '/profile/v1/me', { token: await guest.token() })).body.profile).toEqual({ givenName: 'Rita' }); // the creating app still reads it

    await share(['Person', 'Party']);
    expect((await call('GET', '/profile/v1/me', { token: viaB })).body.profile).toEqual({ givenName: 'Rita' });
  });

  it('the access overview follows the configuration', async () => {
    const guest = await world.guest();
    await call('GET', '/profile/v1/me', { token: await guest.token() }); // relation to partner A
    await share(['Person', 'Order']);
    const access = await call('GET', '/profile/v1/me/access', { token: await guest.token({ noPartner: true }) });
    const partnerA = access.body.partners.find((p: { partnerId: string }) => p.partnerId === world.partnerA);
    expect(partnerA.entityTypes.map((e: { entityType: string }) => e.entityType).sort()).toEqual(['Order', 'Person']);
    await share(['Person', 'Party']);
  });

  it('only the tenant administrator reads (view or manage) and changes (manage) it; another tenant gets 404', async () => {
    const guest = await world.guest();
    expect((await call('GET', settingsPath(), { token: await guest.token() })).status).toBe(403);
    const viewer = await tokenFor({ principal: 'tenant', tenant: world.tenant, sub: 'viewer', scope: CONSENT_VIEW });
    expect((await call('GET', settingsPath(), { token: viewer })).status).toBe(200);
    expect((await call('PUT', settingsPath(), { token: viewer, body: { sharedEntityTypes: [] } })).status).toBe(403);
    const stranger = await tokenFor({ principal: 'tenant', tenant: uniqueTenant('other'), sub: 'admin', scope: CONSENT_MANAGE });
    expect((await call('GET', settingsPath(), { token: stranger })).status).toBe(404);
    expect((await call('PUT', settingsPath(), { token: stranger, body: { sharedEntityTypes: [] } })).status).toBe(404);
    for (const body of [{}, { sharedEntityTypes: 'Person' }, { sharedEntityTypes: ['Per son'] }, { sharedEntityTypes: ['Person'], extra: 1 }]) {
      expect((await call('PUT', settingsPath(), { token: await world.tenantToken(), body })).status).toBe(400);
    }
  });
});
