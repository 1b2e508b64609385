import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { requireGrantedKey, requireKeyFor } from '../../../shared/consent/data-keys.js';
import { schemaDataKeyKey } from '../../../shared/consent/keys.js';
import { busEvents, call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { activeReference, BASE, enc, failure, SCHEMAS, tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests } from './support.js';

let t: TestTenant;
beforeAll(async () => {
  useLocalPlatformFromTests();
  t = await tenantWithMetamodel('grant');
});

const schemaPath = (ref: string, schema: string) => `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(schema)}`;
const classPath = (ref: string, consentClass: string) => `${BASE}/${t.tenant}/consents/${ref}/classes/${consentClass}`;
const eventFor = (ref: string, type: string, schema: string) =>
  waitFor(async () =>
    (await busEvents()).find((e) => e['detail-type'] === type && e.detail.consentReference === ref &&
      JSON.stringify(e.detail).includes(JSON.stringify(schema))),
  );

describe('granting and revoking consents', () => {
  it('revoking one consent clears its grant blob and announces revokedConsents; granting again makes a new grant blob', async () => {
    const token = await t.guest('g-grant-1');
    const { ref } = await activeReference(t, token);
    const before = await call('GET', schemaPath(ref, SCHEMAS.cart), { token });
    expect(before.body).toMatchObject({ schema: SCHEMAS.cart, granted: true, consentClass: 'CartEvents', purpose: 'READ+WRITE' });
    const revoked = await call('PUT', schemaPath(ref, SCHEMAS.cart), { token, body: { granted: false } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ schema: SCHEMAS.cart, granted: false, grantBlob: null, leadingConsentReference: ref });
    const event = await eventFor(ref, 'ConsentRevoked', SCHEMAS.cart);
    expectInCatalogue(event);
    expect(event.detail).toMatchObject({ id: ref, revokedConsents: [SCHEMAS.cart] });
    const granted = await call('PUT', schemaPath(ref, SCHEMAS.cart), { token, body: { granted: true } });
    expect(granted.body).toMatchObject({ granted: true, grantBlob: expect.any(String) });
    expect(granted.body.grantBlob).not.toBe(before.body.grantBlob);
    expectInCatalogue(await eventFor(ref, 'ConsentGranted', SCHEMAS.cart));
  });

  it('a revoked consent makes data written before unreadable forever, even after granting again', async () => {
    const token = await t.guest('g-grant-2');
    const { ref } = await activeReference(t, token);
    const key = await requireGrantedKey(t.tenant, ref, SCHEMAS.cart);
    const sealed = key.seal('{"items":3}', { item: 'cart-1' });
    const blob = key.grantBlob;
    key.dispose();
    const reader = await requireKeyFor(t.tenant, ref, SCHEMAS.cart, blob);
    expect(reader.open(sealed, { item: 'cart-1' }).toString()).toBe('{"items":3}');
    reader.dispose();

    await call('PUT', schemaPath(ref, SCHEMAS.cart), { token, body: { granted: false } });
    const stored = await testDynamo().send(new GetCommand({ TableName: tableNames.keys, Key: schemaDataKeyKey(t.tenant, ref, SCHEMAS.cart) }));
    expect(stored.Item).toBeUndefined();
    expect(await failure(requireGrantedKey(t.tenant, ref, SCHEMAS.cart))).toBe('ConsentNotGranted');
    expect(await failure(requireKeyFor(t.tenant, ref, SCHEMAS.cart, blob))).toBe('ConsentKeyDestroyed');

    await call('PUT', schemaPath(ref, SCHEMAS.cart), { token, body: { granted: true } });
    const fresh = await requireGrantedKey(t.tenant, ref, SCHEMAS.cart);
    expect(fresh.grantBlob).not.toBe(blob);
    expect(() => fresh.open(sealed, { item: 'cart-1' })).toThrow(/cannot be opened/);
    expect(await failure(requireKeyFor(t.tenant, ref, SCHEMAS.cart, blob))).toBe('ConsentKeyDestroyed');
    fresh.dispose();
  });

  it('a class grant or revoke changes every consent of the class at once', async () => {
    const token = await t.guest('g-grant-3');
    const { ref } = await activeReference(t, token);
    const revoked = await call('PUT', classPath(ref, 'CartEvents'), { token, body: { granted: false } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.map((c: { schema: string; granted: boolean }) => [c.schema, c.granted]).sort()).toEqual(
      [[SCHEMAS.addedToCart, false], [SCHEMAS.cart, false]].sort(),
    );
    const event = await eventFor(ref, 'ConsentRevoked', SCHEMAS.addedToCart);
    expect([...(event.detail.revokedConsents as string[])].sort()).toEqual([SCHEMAS.addedToCart, SCHEMAS.cart].sort());
    expect(event.detail.consentClass).toBe('CartEvents');
    const listed = await call('GET', classPath(ref, 'CartEvents'), { token });
    expect(listed.body.every((c: { granted: boolean }) => !c.granted)).toBe(true);
    const others = await call('GET', classPath(ref, 'ProductViews'), { token });
    expect(others.body).toEqual([expect.objectContaining({ schema: SCHEMAS.productViews, granted: true })]);
    const regranted = await call('PUT', classPath(ref, 'CartEvents'), { token, body: { granted: true } });
    expect(regranted.body.every((c: { granted: boolean; grantBlob: string }) => c.granted && c.grantBlob)).toBe(true);
  });

  it('granting what is granted changes nothing and keeps the key', async () => {
    const token = await t.guest('g-grant-4');
    const { ref } = await activeReference(t, token);
    const first = await call('GET', schemaPath(ref, SCHEMAS.cart), { token });
    const again = await call('PUT', schemaPath(ref, SCHEMAS.cart), { token, body: { granted: true } });
    expect(again.body.grantBlob).toBe(first.body.grantBlob);
  });

  it('answers 400 for a missing or non-boolean granted flag, 404 for unknown schemas and classes', async () => {
    const token = await t.guest('g-grant-5');
    const { ref } = await activeReference(t, token);
    for (const body of [{}, { granted: 'yes' }, { granted: null }]) {
      const response = await call('PUT', schemaPath(ref, SCHEMAS.cart), { token, body });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ message: expect.stringContaining('granted'), traceId: expect.any(String) });
    }
    const unknownSchema = await call('PUT', schemaPath(ref, 'https://example.com/none'), { token, body: { granted: true } });
    expect(unknownSchema.status).toBe(404);
    expect(unknownSchema.body.code).toBe('SchemaNotFound');
    const unknownClass = await call('PUT', classPath(ref, 'NoSuchClass'), { token, body: { granted: true } });
    expect(unknownClass.status).toBe(404);
    expect(unknownClass.body.code).toBe('ConsentClassNotFound');
    expect((await call('GET', schemaPath(ref, SCHEMAS.product), { token })).status).toBe(404);
  });

  it('the tenant grants and revokes its TENANT consents, by schema and by class', async () => {
    const revoked = await call('PUT', `${BASE}/${t.tenant}/consents/TENANT/classes/Catalog`, { token: t.admin, body: { granted: false } });
    expect(revoked.body).toEqual([expect.objectContaining({ schema: SCHEMAS.product, granted: false, grantBlob: null })]);
    const granted = await call('PUT', `${BASE}/${t.tenant}/consents/TENANT/schemas/${enc(SCHEMAS.product)}`, { token: t.admin, body: { granted: true } });
    expect(granted.body).toMatchObject({ granted: true, grantBlob: expect.any(String), leadingConsentReference: 'TENANT' });
    const key = await requireGrantedKey(t.tenant, 'TENANT', SCHEMAS.product);
    expect(key.open(key.seal('label', { item: 'p-1' }), { item: 'p-1' }).toString()).toBe('label');
    key.dispose();
  });
});
