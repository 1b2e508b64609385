import { createHash, createHmac } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { idempotencyKey, referenceKey } from '../../../shared/consent/keys.js';
import { call, tableNames, testDynamo, tokenFor } from '../../support/api.js';
import { activeReference, BASE, enc, MANAGE, SCHEMAS, tenantWithMetamodel, type TestTenant, VIEW, whenActive } from './support.js';
import { DATA_READ } from '../../../shared/platform/scopes.js';

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
    const noScope = await t.guest('g-auth-1', DATA_READ);
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

  it('a token answered for an Idempotency-Key cannot be computed from the key and the caller; a retry still gets it', async () => {
    const sub = `anon-${Date.now()}`;
    const anon = await tokenFor({ principal: 'anonymous', tenant: t.tenant, sub, scope: VIEW });
    const key = `key-${Date.now()}-secret`;
    const post = () => call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: anon, headers: { 'idempotency-key': key } });
    const first = await post();
    expect(first.status).toBe(201);
    const { id, consentReferenceToken: token } = first.body;
    expect((await post()).body.consentReferenceToken).toBe(token);
    // The former derivation, HMAC(key, tenant|ref|caller), would let anyone who learns the key compute it.
    const callerId = `anonymous:${sub}:`;
    expect(token).not.toBe(createHmac('sha256', key).update(`${t.tenant}|${id}|${callerId}`).digest('base64url'));
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    // It works as the reference's token, after creation completed a retry still gets it, and only its hash is stored.
    await whenActive(t.tenant, id, anon, { 'consent-reference-token': token });
    expect((await post()).body).toEqual(first.body);
    const sha = (value: string) => createHash('sha256').update(value).digest('hex');
    const reference = await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: referenceKey(t.tenant, id) }));
    expect(reference.Item?.tokenHash).toBe(sha(token));
    const record = await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: idempotencyKey(t.tenant, sha(callerId), sha(key)) }));
    expect(record.Item?.ref).toBe(id);
    expect(JSON.stringify(record.Item)).not.toContain(token);
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
