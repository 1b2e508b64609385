import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { referenceKey, referencePartition } from '../../../shared/consent/keys.js';
import { GENESIS_HASH } from '../../../shared/consent/model.js';
import { busEvents, call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { activeReference, BASE, enc, SCHEMAS, tenantWithMetamodel, type TestTenant, whenActive } from './support.js';
import { CONSENT_VIEW } from '../../../shared/platform/scopes.js';

let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithMetamodel('life');
});

const eventsOf = async (ref: string, type: string) =>
  (await busEvents()).filter((e) => e['detail-type'] === type && e.detail.consentReference === ref);

describe('consent reference lifecycle', () => {
  it('a signed-in guest gets a reference at once, pending until its consents and keys exist, then active with the defaults', async () => {
    const token = await t.guest('g-life-1');
    const created = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      link: expect.stringContaining(`/profile-consent/v1/${t.tenant}/consentReferences/${created.body.id}`),
      leadingConsentReference: created.body.id,
      consentReferenceToken: expect.any(String),
    });
    expect(created.headers.get('leading-consent-reference')).toBe(created.body.id);
    const ref = created.body.id;
    const view = await whenActive(t.tenant, ref, token);
    expect(view).toMatchObject({ id: ref, status: 'active', blocked: false, leadingConsentReference: ref, aliases: [] });
    const consents = await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token });
    expect(consents.status).toBe(200);
    const granted = consents.body.filter((c: { granted: boolean }) => c.granted).map((c: { schema: string }) => c.schema).sort();
    expect(granted).toEqual([SCHEMAS.addedToCart, SCHEMAS.cart, SCHEMAS.productViews].sort());
    expect(consents.body.find((c: { schema: string }) => c.schema === SCHEMAS.captainzbik)).toMatchObject({ granted: false, grantBlob: null });
    expect(consents.body.some((c: { schema: string }) => c.schema === SCHEMAS.product)).toBe(false);
    const requested = await waitFor(async () => (await eventsOf(ref, 'ConsentReferenceRequested'))[0]);
    const done = await waitFor(async () => (await eventsOf(ref, 'ConsentReferenceCreated'))[0]);
    expectInCatalogue(requested);
    expectInCatalogue(done);
    expect((done.detail.grantedConsents as string[]).sort()).toEqual(granted);
  });

  it('the same signed-in guest gets the same reference every time; an anonymous caller a new one every time', async () => {
    const token = await t.guest('g-life-2');
    const first = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token });
    const again = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.consentReferenceToken).toBeUndefined();
    const anon = await t.anonymous();
    const a = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: anon });
    const b = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: anon });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('consent calls on a pending reference answer 409 with Retry-After; GET {link} shows it pending', async () => {
    // A reference whose creation has not completed (as between POST and the consumer), set up directly.
    const ref = randomUUID();
    const at = new Date().toISOString();
    await testDynamo().send(new PutCommand({
      TableName: tableNames.data,
      Item: { ...referenceKey(t.tenant, ref), entityType: 'ConsentReference', tenant: t.tenant, ref, kind: 'user', status: 'pending',
        blocked: false, user: 'g-life-3', createdAt: at, updatedAt: at, historySeq: 0, historyHash: GENESIS_HASH },
    }));
    const token = await t.guest('g-life-3');
    const shown = await call('GET', `${BASE}/${t.tenant}/consentReferences/${ref}`, { token });
    expect(shown.body).toMatchObject({ id: ref, status: 'pending' });
    for (const [method, path, body] of [
      ['GET', `${BASE}/${t.tenant}/consents/${ref}`, undefined],
      ['PUT', `${BASE}/${t.tenant}/consents/${ref}/classes/CartEvents`, { granted: true }],
      ['PUT', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(SCHEMAS.cart)}`, { granted: false }],
    ] as const) {
      const early = await call(method, path, { token, body });
      expect(early.status).toBe(409);
      expect(early.headers.get('retry-after')).toBe('1');
      expect(early.body).toMatchObject({ code: 'ConsentReferencePending', message: expect.any(String), traceId: expect.any(String) });
    }
  });

  it('a body naming classes or schemas grants exactly those', async () => {
    const token = await t.guest('g-life-4');
    const { ref } = await activeReference(t, token, { classes: ['comicbookview'], schemas: [SCHEMAS.cart] });
    const consents = await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token });
    const granted = consents.body.filter((c: { granted: boolean }) => c.granted).map((c: { schema: string }) => c.schema).sort();
    expect(granted).toEqual([SCHEMAS.captainzbik, SCHEMAS.cart].sort());
  });

  it('unknown classes or schemas in the body, and unknown tenants, answer 404', async () => {
    const token = await t.guest('g-life-5');
    const badClass = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token, body: { classes: ['NoSuchClass'] } });
    expect(badClass.status).toBe(404);
    expect(badClass.body.code).toBe('ConsentClassNotFound');
    const badSchema = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token, body: { schemas: ['nope'] } });
    expect(badSchema.body.code).toBe('SchemaNotFound');
    const ghost = `${t.tenant}-ghost`;
    const { tokenFor } = await import('../../support/api.js');
    const ghostToken = await tokenFor({ principal: 'guest', tenant: ghost, scope: CONSENT_VIEW });
    const unknown = await call('POST', `${BASE}/${ghost}/consentReferences`, { token: ghostToken });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('TenantNotFound');
  });

  it('GET users/{user} finds the user\'s reference for the tenant and the user, nobody else', async () => {
    const token = await t.guest('g-life-6');
    const { ref } = await activeReference(t, token);
    const byTenant = await call('GET', `${BASE}/${t.tenant}/users/g-life-6`, { token: t.admin });
    expect(byTenant.status).toBe(200);
    expect(byTenant.body).toMatchObject({ id: ref, leadingConsentReference: ref, status: 'active' });
    expect((await call('GET', `${BASE}/${t.tenant}/users/g-life-6`, { token })).body.id).toBe(ref);
    const other = await t.guest('g-life-other');
    expect((await call('GET', `${BASE}/${t.tenant}/users/g-life-6`, { token: other })).status).toBe(404);
    expect((await call('GET', `${BASE}/${t.tenant}/users/nobody`, { token: t.admin })).status).toBe(404);
  });

  it('deleting a reference removes it with its consents and keys and announces it; TENANT cannot be deleted', async () => {
    const token = await t.guest('g-life-7');
    const { ref } = await activeReference(t, token);
    const keysOf = async () => (await testDynamo().send(new QueryCommand({
      TableName: tableNames.keys, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': referencePartition(t.tenant, ref) },
    }))).Items ?? [];
    expect((await keysOf()).length).toBeGreaterThan(1);
    const deleted = await call('DELETE', `${BASE}/${t.tenant}/consents/${ref}`, { token });
    expect(deleted.status).toBe(204);
    expect(await keysOf()).toEqual([]);
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token })).status).toBe(404);
    const event = await waitFor(async () => (await eventsOf(ref, 'ConsentReferenceDeleted'))[0]);
    expectInCatalogue(event);
    expect(event.detail.id).toBe(ref);
    const next = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token });
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(ref);
    expect((await call('DELETE', `${BASE}/${t.tenant}/consents/TENANT`, { token: t.admin })).status).toBe(403);
    expect((await call('DELETE', `${BASE}/${t.tenant}/consents/YPROFILE`, { token: t.admin })).status).toBe(403);
  });

  it('the TENANT reference exists from onboarding and holds the tenant schemas, granted', async () => {
    const ensured = await call('POST', `${BASE}/${t.tenant}/consentReferences/TENANT`, { token: t.admin });
    expect(ensured.status).toBe(200);
    expect(ensured.body).toMatchObject({ id: 'TENANT', link: expect.stringContaining('/consentReferences/TENANT') });
    const consents = await call('GET', `${BASE}/${t.tenant}/consents/TENANT`, { token: t.admin });
    expect(consents.status).toBe(200);
    expect(consents.body).toEqual([expect.objectContaining({ schema: SCHEMAS.product, consentClass: 'Catalog', granted: true, grantBlob: expect.any(String) })]);
    const guest = await t.guest('g-life-8');
    expect((await call('POST', `${BASE}/${t.tenant}/consentReferences/TENANT`, { token: guest })).status).toBe(403);
    expect((await call('PUT', `${BASE}/${t.tenant}/consents/TENANT/schemas/${enc(SCHEMAS.product)}`, { token: guest, body: { granted: false } })).status).toBe(404);
  });
});
