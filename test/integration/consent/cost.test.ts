import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { referenceKey } from '../../../shared/consent/keys.js';
import { GENESIS_HASH } from '../../../shared/consent/model.js';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { activeReference, BASE, enc, guestCaller, SCHEMAS, tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests } from './support.js';
import { CONSENT_VIEW } from '../../../shared/platform/scopes.js';

/**
 * The cost targets of issue 4, counted with the platform's SDK call counter while the domain runs in
 * this process against the local platform: `GET /consents/{ref}` is one Query; a class grant or revoke
 * is one transaction and at most one KMS call; creating a reference with N schemas is one KMS call.
 */
type Consents = typeof import('../../../shared/consent/consents.js');
type Grants = typeof import('../../../shared/consent/grants.js');
type Creation = typeof import('../../../shared/consent/creation.js');

let t: TestTenant;
let consents: Consents;
let grants: Grants;
let creation: Creation;
let takeSdkCalls: () => Record<string, number>;

beforeAll(async () => {
  useLocalPlatformFromTests();
  t = await tenantWithMetamodel('cost');
  consents = await import('../../../shared/consent/consents.js');
  grants = await import('../../../shared/consent/grants.js');
  creation = await import('../../../shared/consent/creation.js');
  ({ takeSdkCalls } = await import('../../../shared/platform/sdk-calls.js'));
});

afterAll(async () => {
  const { dynamoClient, kmsClient } = await import('../../../shared/platform/clients.js');
  dynamoClient().destroy();
  kmsClient().destroy();
});

const kmsCalls = (calls: Record<string, number>) => Object.entries(calls).filter(([name]) => name.startsWith('KMS.'));

describe('cost of consent operations', () => {
  it('lists the consents of a reference with one Query of its partition and one of the class dictionary, in parallel', async () => {
    const { ref } = await activeReference(t, await t.guest('g-cost-1'));
    takeSdkCalls();
    const listing = await consents.readConsents(t.tenant, ref, guestCaller(t.tenant, 'g-cost-1'));
    // Decision 0205: the dictionary's `enabled` flag decides what is offered; it is one small partition.
    expect(takeSdkCalls()).toEqual({ 'DynamoDB.Query': 2 });
    expect(listing.consents.map((c) => c.schema).sort()).toEqual([SCHEMAS.addedToCart, SCHEMAS.cart, SCHEMAS.captainzbik, SCHEMAS.productViews].sort());
    expect(listing.consents.find((c) => c.schema === SCHEMAS.cart)).toMatchObject({ schemaTitle: 'Cart title', schemaDescription: 'About it', consentClass: 'CartEvents' });
  });

  it('creates a reference with N schemas with exactly one KMS call', async () => {
    // A requested reference (as between POST and the consumer), set up directly so this process completes it.
    const ref = randomUUID();
    const at = new Date().toISOString();
    await testDynamo().send(new PutCommand({
      TableName: tableNames.data,
      Item: { ...referenceKey(t.tenant, ref), entityType: 'ConsentReference', tenant: t.tenant, ref, kind: 'anonymous', status: 'pending',
        blocked: false, requested: { classes: ['CartEvents', 'ProductViews'] }, createdAt: at, updatedAt: at, historySeq: 0, historyHash: GENESIS_HASH },
    }));
    takeSdkCalls();
    expect(await creation.completeReference(t.tenant, ref)).toBe('created');
    const calls = takeSdkCalls();
    expect(kmsCalls(calls)).toEqual([['KMS.GenerateDataKey', 1]]);
    expect(calls['DynamoDB.TransactWriteItems']).toBe(1);
    const listing = await consents.readConsents(t.tenant, ref, { principal: { kind: 'tenant', sub: 'admin', tenant: t.tenant, scopes: new Set([CONSENT_VIEW]) } });
    expect(listing.consents.filter((c) => c.granted).map((c) => c.schema).sort()).toEqual([SCHEMAS.addedToCart, SCHEMAS.cart, SCHEMAS.productViews].sort());
    expect(listing.consents.find((c) => c.schema === SCHEMAS.captainzbik)).toMatchObject({ granted: false, grantBlob: null });
  });

  it('grants or revokes a class of N schemas with one transaction and at most one KMS call', async () => {
    const { ref } = await activeReference(t, await t.guest('g-cost-3'));
    const caller = guestCaller(t.tenant, 'g-cost-3');
    takeSdkCalls();
    await grants.changeConsents(t.tenant, ref, { consentClass: 'CartEvents' }, false, caller);
    const revoke = takeSdkCalls();
    expect(revoke['DynamoDB.TransactWriteItems']).toBe(1);
    expect(kmsCalls(revoke)).toEqual([]);
    await grants.changeConsents(t.tenant, ref, { consentClass: 'CartEvents' }, true, caller);
    const grant = takeSdkCalls();
    expect(grant['DynamoDB.TransactWriteItems']).toBe(1);
    expect(kmsCalls(grant).reduce((sum, [, n]) => sum + n, 0)).toBeLessThanOrEqual(1);
    const listed = await consents.readConsents(t.tenant, ref, caller, { consentClass: 'CartEvents' });
    expect(listed.consents.map((c) => [c.schema, c.granted]).sort()).toEqual([[SCHEMAS.addedToCart, true], [SCHEMAS.cart, true]].sort());
  });

  it('a schema change reaches every existing reference of its side through the fan-out', async () => {
    const refs = await Promise.all(['g-cost-4', 'g-cost-5', 'g-cost-6'].map(async (sub) => (await activeReference(t, await t.guest(sub))).ref));
    const { syncSchema } = await import('../../../shared/consent/schema-sync.js');
    await call('PUT', `${BASE}/${t.tenant}/schemas/${enc(SCHEMAS.productViews)}`, {
      token: t.admin, body: { consentClass: 'ProductViews', owner: 'user', title: 'Views, renamed', description: 'About it' },
    });
    // Running the consumer again (a redelivery) changes nothing and fails nothing.
    const outcome = await syncSchema(t.tenant, SCHEMAS.productViews);
    expect(outcome.references).toBeGreaterThanOrEqual(3);
    for (const [i, ref] of refs.entries()) {
      const listing = await consents.readConsents(t.tenant, ref, guestCaller(t.tenant, `g-cost-${i + 4}`), { schema: SCHEMAS.productViews });
      expect(listing.consents[0]).toMatchObject({ schemaTitle: 'Views, renamed', granted: true });
    }
  });
});
