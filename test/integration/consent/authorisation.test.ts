import { call, tokenFor } from '../../support/api.js';
import { activeReference, BASE, enc, MANAGE, SCHEMAS, tenantWithMetamodel, type TestTenant, VIEW, whenActive } from './support.js';

let t: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  [t, other] = await Promise.all([tenantWithMetamodel('auth'), tenantWithMetamodel('auth2')]);
});

const cartPath = (tenant: string, ref: string) => `${BASE}/${tenant}/consents/${ref}/schemas/${enc(SCHEMAS.cart)}`;

describe('who may do what with consent references', () => {
  it('an anonymous guest manages their own reference with its consentReferenceToken, and nobody else\'s', async () => {
    const anon = await t.anonymous();
    const { ref, refToken, headers } = await activeReference(t, anon);
    expect(refToken).toEqual(expect.any(String));
    expect((await call('PUT', cartPath(t.tenant, ref), { token: anon, headers, body: { granted: false } })).status).toBe(200);
    expect((await call('PUT', cartPath(t.tenant, ref), { token: anon, body: { granted: true } })).status).toBe(404);
    const stranger = await t.anonymous();
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token: stranger })).status).toBe(404);
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token: stranger, headers: { 'consent-reference-token': 'guess' } })).status).toBe(404);
    const { ref: second } = await activeReference(t, anon);
    expect((await call('PUT', cartPath(t.tenant, second), { token: anon, headers, body: { granted: false } })).status).toBe(404);
  });

  it('a guest manages only their own references; view scope alone cannot change consents', async () => {
    const owner = await t.guest('g-auth-1');
    const { ref } = await activeReference(t, owner);
    const intruder = await t.guest('g-auth-2');
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token: intruder })).status).toBe(404);
    expect((await call('PUT', cartPath(t.tenant, ref), { token: intruder, body: { granted: false } })).status).toBe(404);
    expect((await call('DELETE', `${BASE}/${t.tenant}/consents/${ref}`, { token: intruder })).status).toBe(404);
    const viewOnly = await t.guest('g-auth-1', VIEW);
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token: viewOnly })).status).toBe(200);
    expect((await call('PUT', cartPath(t.tenant, ref), { token: viewOnly, body: { granted: false } })).status).toBe(403);
    const noScope = await t.guest('g-auth-1', 'profile_data_read');
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token: noScope })).status).toBe(403);
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}`)).status).toBe(401);
  });

  it('nothing crosses tenants', async () => {
    const owner = await t.guest('g-auth-3');
    const { ref } = await activeReference(t, owner);
    const foreignAdmin = other.admin;
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token: foreignAdmin })).status).toBe(404);
    expect((await call('GET', `${BASE}/${other.tenant}/consents/${ref}`, { token: other.admin })).status).toBe(404);
    expect((await call('PUT', `${BASE}/${t.tenant}/consentReferences/${ref}/block`, { token: foreignAdmin, body: { blocked: true } })).status).toBe(404);
    const sameSub = await other.guest('g-auth-3');
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token: sameSub })).status).toBe(404);
  });

  it('a trusted backend names the user in hybris-user; three racing retries yield one reference', async () => {
    const headers = { 'hybris-user': 'u-storefront-1' };
    const attempts = await Promise.all([1, 2, 3].map(() => call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: t.admin, headers })));
    const ids = new Set(attempts.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(attempts.filter((a) => a.status === 201)).toHaveLength(1);
    const [ref] = [...ids];
    await whenActive(t.tenant, ref, t.admin);
    const user = await t.guest('u-storefront-1');
    expect((await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: user })).body.id).toBe(ref);
    expect((await call('PUT', cartPath(t.tenant, ref), { token: t.admin, headers, body: { granted: false } })).status).toBe(200);
    expect((await call('PUT', cartPath(t.tenant, ref), { token: t.admin, body: { granted: false } })).status).toBe(403);
    const viewer = await tokenFor({ principal: 'tenant', tenant: t.tenant, sub: 'viewer', scope: VIEW });
    const ignored = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: viewer, headers });
    expect(ignored.body.id).not.toBe(ref);
    const guestNaming = await t.guest('g-auth-4');
    const alsoIgnored = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: guestNaming, headers });
    expect(alsoIgnored.body.id).not.toBe(ref);
    const anonymousUser = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: t.admin, headers: { 'hybris-user': 'ANONYMOUS' } });
    expect(anonymousUser.status).toBe(201);
    expect(anonymousUser.body.id).not.toBe(ref);
  });

  it('a retried POST with the same Idempotency-Key returns the first answer, token included', async () => {
    const anon = await t.anonymous();
    const headers = { 'idempotency-key': `key-${Date.now()}-abc` };
    const first = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: anon, headers });
    const retry = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: anon, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const otherKey = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: anon, headers: { 'idempotency-key': `key-${Date.now()}-xyz` } });
    expect(otherKey.body.id).not.toBe(first.body.id);
    const changed = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: anon, headers, body: { classes: ['CartEvents'] } });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('IdempotencyKeyReused');
    const racing = { 'idempotency-key': `key-${Date.now()}-race` };
    const raced = await Promise.all([1, 2, 3, 4].map(() => call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: anon, headers: racing })));
    expect(new Set(raced.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(raced.map((r) => r.body.consentReferenceToken)).size).toBe(1);
  });

  it('tenant-only operations need a tenant administrator with manage scope', async () => {
    const guest = await t.guest('g-auth-5', `${VIEW} ${MANAGE}`);
    const schema = `${BASE}/${t.tenant}/schemas/${enc('https://example.com/s')}`;
    expect((await call('PUT', schema, { token: guest, body: { consentClass: 'CartEvents', owner: 'user', title: 'x' } })).status).toBe(403);
    const viewer = await tokenFor({ principal: 'tenant', tenant: t.tenant, sub: 'viewer', scope: VIEW });
    expect((await call('PUT', schema, { token: viewer, body: { consentClass: 'CartEvents', owner: 'user', title: 'x' } })).status).toBe(403);
    const { ref } = await activeReference(t, guest);
    expect((await call('PUT', `${BASE}/${t.tenant}/consentReferences/${ref}/block`, { token: guest, body: { blocked: true } })).status).toBe(403);
  });
});
