import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tableNames, testDynamo } from '../../support/api.js';
import { api } from './contract.js';
import { createPartner, newTenant, type Tenant } from './support.js';

/** Bad input is a 400 naming the problem, and nothing is half-written. */
let t: Tenant;
let max: string;

/** Everything stored below the tenant's root, straight from the table. */
async function childrenOfRoot(): Promise<number> {
  const out = await testDynamo().send(
    new QueryCommand({
      TableName: tableNames.data,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': `T#${t.tenant}#CHILDREN#${t.root}` },
    }),
  );
  return out.Count ?? 0;
}

beforeAll(async () => {
  t = await newTenant('bad');
  max = await createPartner(t.adminToken, t.root, { vorname: 'Max', geburtsdatum: '1970-01-01' });
});

const cases: [string, Record<string, unknown>, RegExp][] = [
  ['a birth date that is not YYYY-MM-DD', { vorname: 'X', geburtsdatum: '01.01.1970' }, /geburtsdatum/],
  ['a birth date that does not exist', { vorname: 'X', geburtsdatum: '1970-02-30' }, /geburtsdatum/],
  ['a BIC in lower case', { vorname: 'X', bankverbindung: { bic: 'byladem1001' } }, /bic/],
  ['a BIC of the wrong length', { vorname: 'X', bankverbindung: { bic: 'BYLADEM1' } }, /bic/],
  ['an IBAN with a wrong check sum (ISO 13616 mod 97)', { vorname: 'X', bankverbindung: { iban: 'DE00120300000000202051' } }, /iban.*check sum/],
  ['an IBAN with one digit changed', { vorname: 'X', bankverbindung: { iban: 'DE02120300000000202052' } }, /iban.*check sum/],
  ['an anrede outside the enum', { vorname: 'X', anrede: 'DIVERS' }, /anrede/],
  ['a boolean given as text', { vorname: 'X', kreditsachbearbeiter: 'ja' }, /kreditsachbearbeiter/],
  ['a name given as a number', { vorname: 42 }, /vorname/],
  ['an unknown typ', { vorname: 'X', typ: 'ROBOTER' }, /typ/],
  ['a string far too long', { vorname: 'X'.repeat(5000) }, /vorname/],
];

describe('creating a partner', () => {
  it.each(cases)('refuses %s with 400 and creates nothing', async (_, body, field) => {
    const before = await childrenOfRoot();
    const response = await api('POST', `/v2/partner/${t.root}/untergeordnete`, { token: t.adminToken, body });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(field);
    expect(await childrenOfRoot()).toBe(before);
  });

  it('refuses an oversized body with 400', async () => {
    const response = await api('POST', `/v2/partner/${t.root}/untergeordnete`, {
      token: t.adminToken,
      body: { vorname: 'X', ...Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`extra${i}`, 'y'.repeat(100)])) },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/exceeds/);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await api('POST', `/v2/partner/${t.root}/untergeordnete`, { token: t.adminToken, rawBody: '{"vorname": ' });
    expect(response.status).toBe(400);
  });
});

describe('PATCH', () => {
  it.each(cases.filter(([name]) => !name.includes('typ')))('refuses %s with 400 and changes nothing', async (_, body, field) => {
    const response = await api('PATCH', `/v2/partner/${max}`, { token: t.adminToken, body });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(field);
    const now = await api('GET', `/v2/partner/${max}`, { token: t.adminToken });
    expect(now.body).toMatchObject({ vorname: 'Max', geburtsdatum: '1970-01-01' });
    expect(now.body).not.toHaveProperty('bankverbindung');
  });

  it('refuses an empty anrede: an enum needs a value', async () => {
    expect((await api('PATCH', `/v2/partner/${max}`, { token: t.adminToken, body: { anrede: '' } })).status).toBe(400);
  });
});

describe('malformed ids', () => {
  it.each(['abc12', 'ABCD1', 'AB-12', 'ABC123'])('%s is a 400, not a 404', async (id) => {
    const response = await api('GET', `/v2/partner/${id}`, { token: t.adminToken });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/partnerId/);
  });

  it('a well-formed id nobody has is a 404', async () => {
    expect((await api('GET', '/v2/partner/QQQ00', { token: t.adminToken })).status).toBe(404);
  });
});

describe('Zugang', () => {
  it('a benutzername that is no e-mail address is a 400', async () => {
    expect((await api('POST', `/v2/partner/${max}/zugang`, { token: t.adminToken, body: { benutzername: 'max' } })).status).toBe(400);
  });

  it('neither benutzername nor identityProviderBenutzername is a 400', async () => {
    expect((await api('POST', `/v2/partner/${max}/zugang`, { token: t.adminToken, body: {} })).status).toBe(400);
  });

  it('an organisation cannot get a Zugang (406)', async () => {
    const org = await createPartner(t.adminToken, t.root, { typ: 'ORGANISATION', name: 'Team' });
    const response = await api('POST', `/v2/partner/${org}/zugang`, { token: t.adminToken, body: { identityProviderBenutzername: 'team' } });
    expect(response.status).toBe(406);
  });

  it('benutzername cannot be changed by PATCH', async () => {
    await api('POST', `/v2/partner/${max}/zugang`, { token: t.adminToken, body: { benutzername: `max@${t.tenant}.example` } });
    const response = await api('PATCH', `/v2/partner/${max}/zugang`, { token: t.adminToken, body: { benutzername: `other@${t.tenant}.example` } });
    expect(response.status).toBe(400);
    expect((await api('GET', `/v2/partner/${max}/zugang`, { token: t.adminToken })).body.benutzername).toBe(`max@${t.tenant}.example`);
  });
});
