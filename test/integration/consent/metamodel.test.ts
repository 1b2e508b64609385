import { requireGrantedKey } from '../../../shared/consent/data-keys.js';
import { call, waitFor } from '../../support/api.js';
import { activeReference, BASE, enc, failure, metamodelSchemaPath, SCHEMAS, tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests } from './support.js';

let t: TestTenant;
beforeAll(async () => {
  useLocalPlatformFromTests();
  t = await tenantWithMetamodel('meta');
});


describe('the tenant metamodel', () => {
  it('stores, lists and returns schemas with class, owner, title and description', async () => {
    const one = await call('GET', metamodelSchemaPath(t.tenant, SCHEMAS.cart), { token: t.admin });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ schema: SCHEMAS.cart, consentClass: 'CartEvents', owner: 'user', title: 'Cart title', description: 'About it', grantedByDefault: true });
    const all = await call('GET', `${BASE}/${t.tenant}/schemas`, { token: t.admin });
    expect(all.body.map((s: { schema: string }) => s.schema).sort()).toEqual(Object.values(SCHEMAS).sort());
    const badClass = await call('PUT', metamodelSchemaPath(t.tenant, 'https://example.com/x'), { token: t.admin, body: { consentClass: 'NoSuchClass', owner: 'user', title: 'x' } });
    expect(badClass.status).toBe(404);
    const badOwner = await call('PUT', metamodelSchemaPath(t.tenant, 'https://example.com/x'), { token: t.admin, body: { consentClass: 'CartEvents', owner: 'robot', title: 'x' } });
    expect(badOwner.status).toBe(400);
  });

  it('removing a schema hides its consents and data; re-adding restores them as they were', async () => {
    const temp = 'https://api.beta.yaas.io/metamodel/v1/nodes/commerce/Wishlist';
    await call('PUT', metamodelSchemaPath(t.tenant, temp), { token: t.admin, body: { consentClass: 'CartEvents', owner: 'user', title: 'Wishlist' } });
    const token = await t.guest('g-meta-1');
    const { ref } = await activeReference(t, token);
    const key = await requireGrantedKey(t.tenant, ref, temp);
    const sealed = key.seal('wish', { item: 'w' });
    const blob = key.grantBlob;
    key.dispose();
    expect((await call('DELETE', metamodelSchemaPath(t.tenant, temp), { token: t.admin })).status).toBe(204);
    // Data is hidden at once (the schema row decides); the consent listing once the fan-out arrived (decision 0202).
    expect(await failure(requireGrantedKey(t.tenant, ref, temp))).toBe('SchemaNotFound');
    await waitFor(async () => {
      const hidden = await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token });
      return hidden.status === 200 && !hidden.body.some((c: { schema: string }) => c.schema === temp);
    });
    expect((await call('GET', metamodelSchemaPath(t.tenant, temp), { token: t.admin })).status).toBe(404);
    expect((await call('DELETE', metamodelSchemaPath(t.tenant, temp), { token: t.admin })).status).toBe(404);
    await call('PUT', metamodelSchemaPath(t.tenant, temp), { token: t.admin, body: { consentClass: 'CartEvents', owner: 'user', title: 'Wishlist again' } });
    const back = await waitFor(async () => {
      const consent = await call('GET', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(temp)}`, { token });
      return consent.status === 200 ? consent : undefined;
    });
    expect(back.body).toMatchObject({ granted: true, grantBlob: blob, schemaTitle: 'Wishlist again' });
    const again = await requireGrantedKey(t.tenant, ref, temp);
    expect(again.open(sealed, { item: 'w' }).toString()).toBe('wish');
    again.dispose();
  });

  it('a new user schema is not granted to existing references; a new tenant schema is granted on TENANT at once', async () => {
    const token = await t.guest('g-meta-2');
    const { ref } = await activeReference(t, token);
    const fresh = `https://api.beta.yaas.io/metamodel/v1/nodes/commerce/Fresh${Date.now()}`;
    await call('PUT', metamodelSchemaPath(t.tenant, fresh), { token: t.admin, body: { consentClass: 'CartEvents', owner: 'user', title: 'Fresh' } });
    const consent = await waitFor(async () => {
      const response = await call('GET', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(fresh)}`, { token });
      return response.status === 200 ? response : undefined;
    });
    expect(consent.body).toMatchObject({ schema: fresh, granted: false, grantBlob: null, schemaTitle: 'Fresh' });
    const tenantOwned = `https://api.beta.yaas.io/metamodel/v1/nodes/commerce/Label${Date.now()}`;
    await call('PUT', metamodelSchemaPath(t.tenant, tenantOwned), { token: t.admin, body: { consentClass: 'Catalog', owner: 'tenant', title: 'Label' } });
    const tenantConsent = await call('GET', `${BASE}/${t.tenant}/consents/TENANT/schemas/${enc(tenantOwned)}`, { token: t.admin });
    expect(tenantConsent.body).toMatchObject({ granted: true, grantBlob: expect.any(String) });
    const owner = await call('PUT', metamodelSchemaPath(t.tenant, tenantOwned), { token: t.admin, body: { consentClass: 'Catalog', owner: 'user', title: 'Label' } });
    expect(owner.status).toBe(409);
  });
});
