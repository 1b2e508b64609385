import { LOCAL_NAMES } from '../../../infra/local/names.js';
import { call } from '../../support/api.js';
import { profileWorld, type World } from './world.js';

/**
 * The cost targets of issue 6, measured with the platform's own SDK call counter by running the domain
 * in this process against the local platform's DynamoDB and KMS: reading one partner-data object is one
 * DynamoDB read and, with a warm key cache, no KMS call; an import writes with one transaction.
 */
type PartnerData = typeof import('../../../shared/profile/partner-data.js');
type Imports = typeof import('../../../shared/profile/imports.js');

const savedEnv = { ...process.env };
let world: World;
let partnerData: PartnerData;
let imports: Imports;
let takeSdkCalls: () => Record<string, number>;

beforeAll(async () => {
  world = await profileWorld();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: process.env.MYDATA_DYNAMODB_URL,
    AWS_ENDPOINT_URL_KMS: process.env.MYDATA_KMS_URL,
    AWS_REGION: LOCAL_NAMES.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: LOCAL_NAMES.tableName,
    KEY_TABLE_NAME: LOCAL_NAMES.keyTableName,
    EVENT_BUS_NAME: LOCAL_NAMES.eventBusName,
    KMS_KEY_ID: LOCAL_NAMES.kmsAlias,
  });
  partnerData = await import('../../../shared/profile/partner-data.js');
  imports = await import('../../../shared/profile/imports.js');
  ({ takeSdkCalls } = await import('../../../shared/platform/sdk-calls.js'));
}, 60_000);

afterAll(async () => {
  const { dynamoClient, kmsClient } = await import('../../../shared/platform/clients.js');
  dynamoClient().destroy();
  kmsClient().destroy();
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

describe('cost of profile operations', () => {
  it('reads one object with one DynamoDB BatchGetItem and, with a warm key cache, no KMS call', async () => {
    const guest = await world.guest();
    await call('PUT', '/profile/v1/partnerdata/hot', { token: await guest.token(), body: { n: 42 } });
    const caller = { tenant: world.tenant, guest: guest.sub, partnerId: world.partnerA, clientId: 'app-a', issuedAt: Math.floor(Date.now() / 1000) };

    expect((await partnerData.getPartnerData(caller, 'hot')).data).toEqual({ n: 42 }); // cold: reference lookup, KMS Decrypt
    takeSdkCalls();
    expect((await partnerData.getPartnerData(caller, 'hot')).data).toEqual({ n: 42 });
    expect(takeSdkCalls()).toEqual({ 'DynamoDB.BatchGetItem': 1 });
  });

  it('imports a share with exactly one write: one TransactWriteItems', async () => {
    const sharer = await world.guest({ givenName: 'Ina', familyName: 'Import' });
    const token = await sharer.token();
    await call('PUT', '/profile/v1/partnerdata/list', { token, body: { n: 1 } });
    const { sharingIdentifier } = (await call('PUT', '/profile/v1/partnerdata/list/share', { token })).body;
    const friend = await world.guest();
    const caller = { tenant: world.tenant, guest: friend.sub, partnerId: world.partnerA, clientId: 'app-a', issuedAt: Math.floor(Date.now() / 1000) };
    await call('GET', '/profile/v1/me', { token: await friend.token() }); // the relation exists, as for any signed-in friend

    takeSdkCalls();
    const { item } = await imports.importShare(caller, sharingIdentifier);
    expect(item.name).toBe('list-ii');
    const calls = takeSdkCalls();
    const writes = Object.entries(calls).filter(([name]) => /Put|Update|Delete|TransactWrite|BatchWrite/.test(name));
    expect(writes).toEqual([['DynamoDB.TransactWriteItems', 1]]);
  });
});
