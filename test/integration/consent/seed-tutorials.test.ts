import { call } from '../../support/api.js';
import { BASE, enc, SCHEMAS, tenantWithMetamodel, type TestTenant, whenActive } from './support.js';

/** The seed's tutorial requests, in its order, against the local platform (the seed's curl bodies verbatim). */
let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithMetamodel('seed');
});

describe('the Consent service tutorials', () => {
  it('get all consent classes (paged, sorted)', async () => {
    const token = await t.guest('g-seed-0');
    const response = await call('GET', '/profile-consent/v1/consentClasses?pageSize=3&pageNumber=1&sort=class:asc', { token });
    expect(response.status).toBe(200);
    expect(response.body.length).toBeLessThanOrEqual(3);
    expect(response.body[0]).toEqual(expect.objectContaining({ class: expect.any(String), title: expect.any(String), editable: expect.any(Boolean), enabled: expect.any(Boolean) }));
  });

  it('anonymous session, logged-in session, create, get all, grant/revoke single and by class, delete', async () => {
    const anonymous = await t.anonymous();
    const anon = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: anonymous });
    expect(anon.status).toBe(201);
    expect(Object.keys(anon.body)).toEqual(expect.arrayContaining(['id', 'link']));

    const token = await t.guest('g-seed-1');
    const created = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token });
    const ref = created.body.id;
    expect(created.body.link).toMatch(new RegExp(`/profile-consent/v1/${t.tenant}/consentReferences/${ref}$`));
    await whenActive(t.tenant, ref, token);

    const all = await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token });
    expect(all.status).toBe(200);
    for (const consent of all.body) {
      expect(Object.keys(consent)).toEqual(expect.arrayContaining(['consentClass', 'purpose', 'schema', 'grantBlob', 'granted', 'schemaTitle', 'schemaDescription']));
    }

    const single = `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(SCHEMAS.captainzbik)}`;
    expect((await call('PUT', single, { token, rawBody: '{"granted"  : true}' })).body.granted).toBe(true);
    expect((await call('PUT', single, { token, rawBody: '{\n     "granted"  : false\n}' })).body.granted).toBe(false);

    const byClass = `${BASE}/${t.tenant}/consents/${ref}/classes/comicbookview`;
    expect((await call('PUT', byClass, { token, rawBody: '{\n     "granted"  : true\n}' })).body).toEqual([expect.objectContaining({ schema: SCHEMAS.captainzbik, granted: true })]);
    expect((await call('PUT', byClass, { token, rawBody: '{"granted"  : false}' })).body).toEqual([expect.objectContaining({ granted: false, grantBlob: null })]);

    expect((await call('DELETE', `${BASE}/${t.tenant}/consents/${ref}`, { token })).status).toBe(204);
    expect((await call('GET', `${BASE}/${t.tenant}/consentReferences/${ref}`, { token })).status).toBe(404);
  });

  it('TENANT: create (or get), get all, grant and revoke single and by class', async () => {
    const created = await call('POST', `${BASE}/${t.tenant}/consentReferences/TENANT`, { token: t.admin });
    expect(created.body.id).toBe('TENANT');
    const all = await call('GET', `${BASE}/${t.tenant}/consents/TENANT`, { token: t.admin });
    expect(all.body.map((c: { schema: string }) => c.schema)).toEqual([SCHEMAS.product]);
    const single = `${BASE}/${t.tenant}/consents/TENANT/schemas/${enc(SCHEMAS.product)}`;
    expect((await call('PUT', single, { token: t.admin, rawBody: '{"granted"  : false}' })).body.granted).toBe(false);
    expect((await call('PUT', single, { token: t.admin, rawBody: '{"granted"  : true}' })).body.granted).toBe(true);
    const byClass = `${BASE}/${t.tenant}/consents/TENANT/classes/Catalog`;
    expect((await call('PUT', byClass, { token: t.admin, rawBody: '{"granted"  : false}' })).body[0].granted).toBe(false);
    expect((await call('PUT', byClass, { token: t.admin, rawBody: '{"granted"  : true}' })).body[0].granted).toBe(true);
  });
});
