import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { consentKey } from '../../../shared/consent/keys.js';
import { call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { activeReference, BASE, enc, metamodelSchemaPath, tenantWithMetamodel } from './support.js';

/**
 * A schema added to the metamodel reaches each reference's consent rows through the paged fan-out
 * (decision 0208), minutes later for a large tenant. Until then, reading that consent answers from the
 * metamodel (not granted), as granting it already does, never a 404 "not in the tenant's metamodel".
 */
it('reading a consent whose copy the fan-out has not written yet answers from the metamodel, not 404', async () => {
  const t = await tenantWithMetamodel('fan');
  const token = await t.guest('g-fan-1');
  const { ref } = await activeReference(t, token);
  const schema = 'mycomicsshop/late-schema';
  const path = `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(schema)}`;
  const added = await call('PUT', metamodelSchemaPath(t.tenant, schema), {
    token: t.admin,
    body: { consentClass: 'comicbookview', owner: 'user', title: 'Late', grantedByDefault: false },
  });
  expect(added.status).toBe(201);
  // Wait for the fan-out's copy, then remove it: the state of a reference the fan-out has not reached yet.
  await waitFor(async () => ((await call('GET', path, { token })).status === 200 ? true : undefined));
  await testDynamo().send(new DeleteCommand({ TableName: tableNames.data, Key: consentKey(t.tenant, ref, schema) }));

  const read = await call('GET', path, { token });
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ schema, consentClass: 'comicbookview', granted: false, grantBlob: null });
  // Unknown schemas stay a 404.
  expect((await call('GET', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc('mycomicsshop/never')}`, { token })).status).toBe(404);
});
