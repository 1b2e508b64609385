import { LOCAL_NAMES } from '../../../infra/local/names.js';
import { call, tokenFor } from '../../support/api.js';
import { profileWorld, type World } from './support.js';
import { PARTNER_SCOPES, scopeClaim } from '../../../shared/platform/scopes.js';

/**
 * The cost targets of issue 6, measured with the platform's own SDK call counter by running the domain
 * in this process against the local platform's DynamoDB and KMS: reading one partner-data object is one
 * DynamoDB read and, with a warm key cache, no KMS call; an import writes with one transaction.
 */
type PartnerData = typeof import('../../../shared/profile/partner-data.js');
type Imports = typeof import('../../../shared/profile/imports.js');
type Me = typeof import('../../../shared/profile/me.js');

const savedEnv = { ...process.env };
let world: World;
let partnerData: PartnerData;
let imports: Imports;
let me: Me;
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
  me = await import('../../../shared/profile/me.js');
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

  it('a partner two levels below the root: its ancestors (for their locks) ride in the same BatchGetItem once the container knows its path', async () => {
    const admin = await tokenFor({ principal: 'partner', tenant: world.tenant, partner: world.partnerB, sub: 'cost-admin', scope: scopeClaim(PARTNER_SCOPES.anlegen, PARTNER_SCOPES.lesen) });
    const create = async (parent: string, name: string) =>
      (await call('POST', `/v2/partner/${parent}/untergeordnete`, { token: admin, body: { typ: 'ORGANISATION', name } })).body.partnerId as string;
    const org = await create(world.partnerA, 'Cost Org');
    const shop = await create(org, 'Cost Shop');
    const guest = await world.guest();
    await call('PUT', '/profile/v1/me', { token: await guest.token(), body: { givenName: 'Cora' } });
    await call('GET', '/profile/v1/me', { token: await guest.token({ partner: shop, client: 'app-shop' }) }); // the relation exists
    const issuedAt = Math.floor(Date.now() / 1000);
    const viaRoot = { tenant: world.tenant, guest: guest.sub, partnerId: world.partnerA, clientId: 'app-a', issuedAt };
    const viaShop = { tenant: world.tenant, guest: guest.sub, partnerId: shop, clientId: 'app-shop', issuedAt };
    await me.getMe(viaRoot); // warms the guest's reference and key cache (a root partner has no ancestors)

    takeSdkCalls();
    expect((await me.getMe(viaShop)).profile).toEqual({ givenName: 'Cora' });
    expect(takeSdkCalls()).toEqual({ 'DynamoDB.BatchGetItem': 2 }); // cold container: the ancestors once more
    expect((await me.getMe(viaShop)).profile).toEqual({ givenName: 'Cora' });
    expect(takeSdkCalls()).toEqual({ 'DynamoDB.BatchGetItem': 1 }); // warm: one read, ancestors included
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
