import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { referencePartition } from '../../../shared/consent/keys.js';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { activeReference, BASE, enc, metamodelSchemaPath, tenantWithMetamodel, type TestTenant } from './support.js';
import { CONSENT_MANAGE, CONSENT_VIEW, scopeClaim } from '../../../shared/platform/scopes.js';

/** Names that become parts of DynamoDB keys are bounded where they enter, so an over-long one is a 400, never a 500. */
let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithMetamodel('lim');
});

const definition = { consentClass: 'comicbookview', owner: 'user', title: 'Long', grantedByDefault: true };

describe('schema names are bounded in UTF-8 bytes, so every key derived from them fits', () => {
  const tooLong: Array<[string, string]> = [
    ['1020 × a', 'a'.repeat(1020)],
    ['300 × 😀 (1200 bytes, 600 UTF-16 units)', '😀'.repeat(300)],
    ['508 × é (1016 bytes in 508 characters)', 'é'.repeat(508)],
    ['1015 × a (one byte past the bound)', 'a'.repeat(1015)],
  ];
  it.each(tooLong)('%s answers 400 on PUT, GET and DELETE of the schema and on a consent of it', async (_, schema) => {
    const token = await t.guest('g-lim-1');
    const { ref } = await activeReference(t, token);
    for (const [method, path, body, who] of [
      ['PUT', metamodelSchemaPath(t.tenant, schema), definition, t.admin],
      ['GET', metamodelSchemaPath(t.tenant, schema), undefined, t.admin],
      ['DELETE', metamodelSchemaPath(t.tenant, schema), undefined, t.admin],
      ['GET', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(schema)}`, undefined, token],
      ['PUT', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(schema)}`, { granted: true }, token],
    ] as const) {
      const response = await call(method, path, { token: who, body });
      expect([method, path.length, response.status]).toEqual([method, path.length, 400]);
      expect(response.body).toMatchObject({ code: 'ValidationFailed', message: expect.stringContaining('1014 bytes') });
    }
    const named = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: await t.anonymous(), body: { schemas: [schema] } });
    expect(named.status).toBe(400);
  });

  it('a schema of exactly 1014 bytes works end to end: references become active, its consent is granted with a key', async () => {
    const schema = 'a'.repeat(1014);
    expect((await call('PUT', metamodelSchemaPath(t.tenant, schema), { token: t.admin, body: definition })).status).toBe(201);
    expect((await call('GET', metamodelSchemaPath(t.tenant, schema), { token: t.admin })).body.schema).toBe(schema);
    const token = await t.guest('g-lim-2');
    const { ref } = await activeReference(t, token);
    const consent = await call('GET', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(schema)}`, { token });
    expect(consent.body).toMatchObject({ schema, granted: true, grantBlob: expect.any(String) });
    const revoked = await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/classes/comicbookview`, { token, body: { granted: false } });
    expect(revoked.status).toBe(200);
    const granted = await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/classes/comicbookview`, { token, body: { granted: true } });
    expect(granted.status).toBe(200);
    const keys = (await testDynamo().send(new QueryCommand({
      TableName: tableNames.keys, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': referencePartition(t.tenant, ref) },
    }))).Items ?? [];
    expect(keys.map((k) => k.SK)).toContain(`SCHEMAKEY#${schema}`);
    expect((await call('DELETE', metamodelSchemaPath(t.tenant, schema), { token: t.admin })).status).toBe(204);
  });
});

describe('user ids are bounded like the users/{user} path parameter (1 to 256 characters)', () => {
  const create = (token: string, headers: Record<string, string> = {}) => call('POST', `${BASE}/${t.tenant}/consentReferences`, { token, headers });

  it('an over-long hybris-user or guest subject answers 400, not 500', async () => {
    const named = await create(t.admin, { 'hybris-user': 'u'.repeat(2100) });
    expect(named.status).toBe(400);
    expect(named.body).toMatchObject({ code: 'InvalidUserId', message: expect.stringContaining('hybris-user') });
    expect((await create(t.admin, { 'hybris-user': 'u'.repeat(257) })).status).toBe(400);
    const { tokenFor } = await import('../../support/api.js');
    const longSub = await tokenFor({ principal: 'guest', tenant: t.tenant, sub: 'g'.repeat(2100), scope: scopeClaim(CONSENT_VIEW, CONSENT_MANAGE) });
    const guest = await create(longSub);
    expect(guest.status).toBe(400);
    expect(guest.body).toMatchObject({ code: 'InvalidUserId', message: expect.stringContaining('sub') });
    expect((await call('GET', `${BASE}/${t.tenant}/users/${'g'.repeat(2100)}`, { token: longSub })).status).toBe(400);
  });

  it('256 characters are accepted, from a trusted backend and in a token; a tenant administrator with a long subject can use Idempotency-Key', async () => {
    const user = `${'ü'.repeat(255)}x`;
    const named = await create(t.admin, { 'hybris-user': user });
    expect(named.status).toBe(201);
    expect((await call('GET', `${BASE}/${t.tenant}/users/${enc(user)}`, { token: t.admin })).body.id).toBe(named.body.id);
    const sub = 's'.repeat(256);
    expect((await create(await t.guest(sub))).status).toBe(201);
    const { tokenFor } = await import('../../support/api.js');
    const admin = await tokenFor({ principal: 'tenant', tenant: t.tenant, sub: 'a'.repeat(2100), scope: scopeClaim(CONSENT_VIEW, CONSENT_MANAGE) });
    const first = await create(admin, { 'idempotency-key': `lim-${Date.now()}`, 'hybris-user': 'u-lim-1' });
    expect(first.status).toBe(201);
  });
});
