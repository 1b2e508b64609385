import { call, tokenFor } from '../../support/api.js';
import { api } from './contract.js';
import { ALL_RECHTE, createPartner, newTenant, partnerToken, person, type Tenant } from './support.js';

/**
 * Issue 10: Europace's own Postman collection sets the administrator's `echtgeschaeft` to false
 * (`POST …/rechte {"baufismart": {"baufiSmartNutzen": true, "echtgeschaeft": false}}`); since rights can
 * only be granted by who holds them, nobody in the tenant can grant it again. The platform operator
 * (principal `system`) restores the tenant's administrator: POST /admin/v1/tenants/{tenant}/administrator/restore.
 */
let t: Tenant;
let max: string;
let operator: string;
const restore = (token: string, tenant = t.tenant) => call('POST', `/admin/v1/tenants/${tenant}/administrator/restore`, { token });
const rechteOf = async (id: string) => (await api('GET', `/v2/partner/${id}/rechte`, { token: t.adminToken })).body;
const grantEchtgeschaeft = (id: string) => api('PATCH', `/v2/partner/${id}/rechte`, { token: t.adminToken, body: { baufismart: { echtgeschaeft: true } } });

beforeAll(async () => {
  t = await newTenant('restore');
  max = await createPartner(t.adminToken, t.root, person('Max'));
  operator = await tokenFor({ principal: 'system', sub: 'operator-on-call' });
});

describe('after the Postman collection took the administrator\'s echtgeschaeft', () => {
  it('nobody in the tenant can grant it again', async () => {
    const postman = await api('POST', `/v2/partner/${t.admin}/rechte`, { token: t.adminToken, body: { baufismart: { baufiSmartNutzen: true, echtgeschaeft: false } } });
    expect(postman.status).toBe(200);
    expect(postman.body.baufismart.echtgeschaeft).toBe(false);
    const self = await grantEchtgeschaeft(t.admin);
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/baufismart\.echtgeschaeft/);
    expect((await grantEchtgeschaeft(max)).status).toBe(403);
    expect((await rechteOf(max)).baufismart.echtgeschaeft).toBe(false);
  });

  it('only the platform operator may restore: a partner, a tenant token or another tenant\'s are refused, an unknown tenant is a 404', async () => {
    const tenantToken = await tokenFor({ principal: 'tenant', tenant: t.tenant });
    for (const token of [t.adminToken, tenantToken]) {
      const refused = await restore(token);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toEqual(expect.any(String));
    }
    expect((await restore(operator, 'no-such-tenant-xyz')).status).toBe(404);
    expect((await restore(operator, 'Not A Tenant')).status).toBe(400);
    expect((await rechteOf(t.admin)).baufismart.echtgeschaeft).toBe(false);
  });

  it('the operator restores the administrator: every right again, and it can pass echtgeschaeft on', async () => {
    const response = await restore(operator);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ partnerId: t.admin, rootPartnerId: t.root, rechte: ALL_RECHTE, gesperrt: false });
    expect(await rechteOf(t.admin)).toEqual(ALL_RECHTE);
    expect((await grantEchtgeschaeft(max)).status).toBe(200);
    expect((await rechteOf(max)).baufismart.echtgeschaeft).toBe(true);
  });
});

describe('an administrator locked out by a partner it gave the Einstellungsrecht on itself', () => {
  it('is unlocked by the restore, with its Einstellungsrecht on the root, and nothing else changes', async () => {
    const bob = await createPartner(t.adminToken, t.root, person('Bob', { rechte: ALL_RECHTE }));
    expect((await api('PUT', `/v2/partner/${bob}/einstellungsrechtFuer/${t.admin}`, { token: t.adminToken })).status).toBe(201);
    const bobToken = await partnerToken(t.tenant, bob);
    expect((await api('PATCH', `/v2/partner/${t.admin}`, { token: bobToken, body: { gesperrt: true } })).status).toBe(200);
    const locked = await api('GET', `/v2/partner/${t.root}`, { token: t.adminToken });
    expect(locked.status).toBe(403);
    expect(locked.body.message).toMatch(/locked/);

    expect((await restore(operator)).status).toBe(200);
    const root = await api('GET', `/v2/partner/${t.root}`, { token: t.adminToken });
    expect(root.status).toBe(200);
    expect((await api('GET', `/v2/partner/${t.admin}`, { token: t.adminToken })).body.gesperrt).toBe(false);
    expect((await api('GET', `/v2/partner/${t.root}/untergeordnete`, { token: t.adminToken })).body.map((p: { partnerId: string }) => p.partnerId).sort()).toEqual([t.admin, max, bob].sort());
    // Bob's right stays (the operator restores the administrator, it does not judge the tenant's grants).
    expect((await api('GET', `/v2/partner/${t.admin}`, { token: bobToken })).status).toBe(200);
  });
});
