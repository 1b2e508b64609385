import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { requireGrantedKey } from '../../../shared/consent/data-keys.js';
import { deleteReference } from '../../../shared/consent/deletion.js';
import { changeConsents } from '../../../shared/consent/grants.js';
import { referenceKey } from '../../../shared/consent/keys.js';
import { dynamoClient } from '../../../shared/platform/clients.js';
import { call, systemToken, tableNames, testDynamo } from '../../support/api.js';
import { activeReference, BASE, enc, failure, guestCaller, keyRows, SCHEMAS, tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests } from './support.js';

/**
 * A deletion and a grant of the same reference racing each other: whoever loses changes nothing. The
 * races are made deterministic by running one side in this process and letting the other (over HTTP)
 * commit right before this side's first transaction is sent.
 */
let t: TestTenant;
const BULK = Array.from({ length: 50 }, (_, i) => `https://example.com/bulk/${i}`);
beforeAll(async () => {
  useLocalPlatformFromTests();
  t = await tenantWithMetamodel('race');
  expect((await call('PUT', '/admin/v1/consentClasses/Bulk', { token: await systemToken(), body: { title: 'Bulk', description: 'Many schemas' } })).status).toBeLessThan(300);
  for (const schema of BULK) {
    const put = await call('PUT', `${BASE}/${t.tenant}/schemas/${enc(schema)}`, {
      token: t.admin, body: { consentClass: 'Bulk', owner: 'user', title: 'Bulk', grantedByDefault: false },
    });
    expect(put.status).toBe(201);
  }
}, 60_000);

afterAll(() => {
  dynamoClient().middlewareStack.remove('testInterleave');
  dynamoClient().destroy();
});

/** Runs `other` once, right before this process sends its first TransactWriteItems. */
function beforeFirstTransaction(other: () => Promise<void>): void {
  let pending: (() => Promise<void>) | undefined = other;
  dynamoClient().middlewareStack.remove('testInterleave');
  dynamoClient().middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      if (pending && context.commandName?.startsWith('TransactWrite')) {
        const run = pending;
        pending = undefined;
        await run();
      }
      return next(args);
    }) as never,
    { step: 'initialize', name: 'testInterleave' },
  );
}


describe('a deletion racing a grant', () => {
  it('when the grant commits first, the deletion answers 409 and the reference keeps every key of its granted consents', async () => {
    const sub = 'g-race-1';
    const token = await t.guest(sub);
    const { ref } = await activeReference(t, token);
    expect((await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(SCHEMAS.cart)}`, { token, body: { granted: false } })).status).toBe(200);
    beforeFirstTransaction(async () => {
      const grant = await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(SCHEMAS.cart)}`, { token, body: { granted: true } });
      expect(grant.status).toBe(200);
    });
    expect(await failure(deleteReference(t.tenant, ref, guestCaller(t.tenant, sub)))).toBe('ConcurrentConsentChange');

    const consents = await call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token });
    const granted = consents.body.filter((c: { granted: boolean }) => c.granted).map((c: { schema: string }) => c.schema);
    expect(granted).toEqual(expect.arrayContaining([SCHEMAS.cart, SCHEMAS.addedToCart, SCHEMAS.productViews]));
    for (const schema of granted) {
      const key = await requireGrantedKey(t.tenant, ref, schema);
      key.dispose();
    }
  });

  it('a class grant written in chunks that loses against a deletion leaves no key behind', async () => {
    const sub = 'g-race-2';
    const token = await t.guest(sub);
    const { ref } = await activeReference(t, token);
    beforeFirstTransaction(async () => {
      expect((await call('DELETE', `${BASE}/${t.tenant}/consents/${ref}`, { token })).status).toBe(204);
    });
    expect(await failure(changeConsents(t.tenant, ref, { consentClass: 'Bulk' }, true, guestCaller(t.tenant, sub)))).toBe('ConsentReferenceNotFound');
    expect(await keyRows(t.tenant, ref)).toEqual([]);
    const main = await testDynamo().send(new QueryCommand({
      TableName: tableNames.data, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': referenceKey(t.tenant, ref).PK },
    }));
    expect(main.Items ?? []).toEqual([]);
  });
});
