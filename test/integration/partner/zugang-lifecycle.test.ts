import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { zugangKey } from '../../../shared/partner/keys.js';
import { busEvents, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { api } from './contract.js';
import { createPartner, newTenant, organisation, partnerToken, person, type Tenant } from './support.js';

/**
 * Issue 10: the Zugang moves on. Use case 1's activation token (carried by the ZugangActivationRequested
 * event, i.e. the activation mail) makes ZUGANG_UNBESTAETIGT ZUGANG_REGISTRIERT; a locked partner's
 * registered Zugang reports ZUGANG_REGISTRIERT_KEIN_ZUGANG; identityProviderConfigURL is an own
 * identity provider's OpenID configuration.
 */
let t: Tenant;
let team: string;
let max: string;
let moritz: string;
let outsider: string;
const IDP = 'https://idp.deineOrganisation.de/auth/realms/.well-known/openid-configuration';

const zugang = async (id: string) => (await api('GET', `/v2/partner/${id}/zugang`, { token: t.adminToken })).body;
const activate = (token: string, id: string, activationToken: string) =>
  api('POST', `/v2/partner/${id}/zugang/aktivierung`, { token, body: { activationToken } });

/** The token of the activation mail, as a mail sender subscribed to the event receives it. */
const activationTokenOf = (partnerId: string) =>
  waitFor(async () => {
    const event = (await busEvents()).find((e) => e['detail-type'] === 'ZugangActivationRequested' && e.detail.tenant === t.tenant && e.detail.partnerId === partnerId);
    return event?.detail.activationToken as string | undefined;
  }, { timeoutMs: 15_000 });

beforeAll(async () => {
  t = await newTenant('zugang');
  team = await createPartner(t.adminToken, t.root, organisation('Team'));
  max = await createPartner(t.adminToken, team, person('Max'));
  moritz = await createPartner(t.adminToken, team, person('Moritz'));
  outsider = await createPartner(t.adminToken, t.root, person('Olga'));
  for (const [id, name] of [[max, 'max'], [moritz, 'moritz']]) {
    const created = await api('POST', `/v2/partner/${id}/zugang?sendEmail=true`, { token: t.adminToken, body: { benutzername: `${name}.${t.tenant}@example.org` } });
    expect(created.body.status).toBe('ZUGANG_UNBESTAETIGT');
  }
});

describe('activation (use case 1)', () => {
  it('a wrong token, another Zugang\'s token or an outsider with the right one change nothing', async () => {
    const [maxToken, moritzToken] = await Promise.all([activationTokenOf(max), activationTokenOf(moritz)]);
    expect(maxToken).not.toBe(moritzToken);
    const self = await partnerToken(t.tenant, max, undefined);
    const wrong = await activate(self, max, 'A'.repeat(43));
    expect(wrong.status).toBe(403);
    expect(wrong.body.message).toMatch(/activation token/);
    expect((await activate(self, max, moritzToken)).status).toBe(403);
    expect((await activate(await partnerToken(t.tenant, outsider), max, maxToken)).status).toBe(404);
    expect((await activate(self, max, 'not a token!')).status).toBe(400);
    expect((await zugang(max)).status).toBe('ZUGANG_UNBESTAETIGT');
  });

  it('the person with the token of its mail (no scope needed): ZUGANG_REGISTRIERT, and GET says so', async () => {
    const response = await activate(await partnerToken(t.tenant, max, undefined), max, await activationTokenOf(max));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ partnerId: max, status: 'ZUGANG_REGISTRIERT', benutzername: `max.${t.tenant}@example.org` });
    expect(await zugang(max)).toEqual(response.body);
  });

  it('the token works once: again is a 409 and nothing changes', async () => {
    const again = await activate(t.adminToken, max, await activationTokenOf(max));
    expect(again.status).toBe(409);
    expect((await zugang(max)).status).toBe('ZUGANG_REGISTRIERT');
  });

  it('an expired token is a 403; a manager may activate with a valid one', async () => {
    const token = await activationTokenOf(moritz);
    await testDynamo().send(new UpdateCommand({
      TableName: tableNames.data,
      Key: { ...zugangKey(t.tenant, moritz) },
      UpdateExpression: 'SET activationExpiresAt = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
    }));
    expect((await activate(t.adminToken, moritz, token)).status).toBe(403);
    expect((await zugang(moritz)).status).toBe('ZUGANG_UNBESTAETIGT');
    await testDynamo().send(new UpdateCommand({
      TableName: tableNames.data,
      Key: { ...zugangKey(t.tenant, moritz) },
      UpdateExpression: 'SET activationExpiresAt = :future',
      ExpressionAttributeValues: { ':future': new Date(Date.now() + 60_000).toISOString() },
    }));
    expect((await activate(t.adminToken, moritz, token)).body.status).toBe('ZUGANG_REGISTRIERT');
  });

  it('a Zugang that never waited for activation is a 409; a partner without one a 404', async () => {
    const erika = await createPartner(t.adminToken, team, person('Erika'));
    expect((await activate(t.adminToken, erika, 'A'.repeat(43))).status).toBe(404);
    await api('POST', `/v2/partner/${erika}/zugang`, { token: t.adminToken, body: { identityProviderBenutzername: 'erika01' } });
    expect((await activate(t.adminToken, erika, 'A'.repeat(43))).status).toBe(409);
  });
});

describe('a locked partner', () => {
  it('reports ZUGANG_REGISTRIERT_KEIN_ZUGANG while it (or an ancestor) is locked, ZUGANG_REGISTRIERT again after', async () => {
    expect((await api('PATCH', `/v2/partner/${max}`, { token: t.adminToken, body: { gesperrt: true } })).status).toBe(200);
    expect((await zugang(max)).status).toBe('ZUGANG_REGISTRIERT_KEIN_ZUGANG');
    expect((await api('PATCH', `/v2/partner/${max}`, { token: t.adminToken, body: { gesperrt: false } })).status).toBe(200);
    expect((await zugang(max)).status).toBe('ZUGANG_REGISTRIERT');
    expect((await api('PATCH', `/v2/partner/${team}`, { token: t.adminToken, body: { gesperrt: true } })).status).toBe(200);
    expect((await zugang(max)).status).toBe('ZUGANG_REGISTRIERT_KEIN_ZUGANG');
    expect((await zugang(moritz)).status).toBe('ZUGANG_REGISTRIERT_KEIN_ZUGANG');
    expect((await api('PATCH', `/v2/partner/${team}`, { token: t.adminToken, body: { gesperrt: false } })).status).toBe(200);
    expect((await zugang(max)).status).toBe('ZUGANG_REGISTRIERT');
  });
});

describe('identityProviderConfigURL', () => {
  it('use case 2: the own identity provider\'s OpenID configuration is kept and shown', async () => {
    const anna = await createPartner(t.adminToken, team, person('Anna'));
    const created = await api('POST', `/v2/partner/${anna}/zugang?sendEmail=false`, { token: t.adminToken, body: { benutzername: `anna.${t.tenant}@example.org`, identityProviderConfigURL: IDP } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ partnerId: anna, status: 'ZUGANG_REGISTRIERT', benutzername: `anna.${t.tenant}@example.org`, identityProviderConfigURL: IDP });
    expect(await zugang(anna)).toEqual(created.body);
  });

  it.each([
    ['no OpenID configuration', 'https://idp.example.org/login'],
    ['not https', 'http://idp.example.org/.well-known/openid-configuration'],
    ['credentials in it', 'https://user:pw@idp.example.org/.well-known/openid-configuration'],
  ])('%s is a 400 and no Zugang is written', async (_, url) => {
    const p = await createPartner(t.adminToken, team, person('Paul'));
    const response = await api('POST', `/v2/partner/${p}/zugang`, { token: t.adminToken, body: { identityProviderBenutzername: 'paul01', identityProviderConfigURL: url } });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/identityProviderConfigURL/);
    expect((await zugang(p)).status).toBe('KEIN_ZUGANG');
  });

  it('with an activation mail (Europace login, use case 1) it is a 400 and nothing is written', async () => {
    const p = await createPartner(t.adminToken, team, person('Pia'));
    const response = await api('POST', `/v2/partner/${p}/zugang?sendEmail=true`, { token: t.adminToken, body: { benutzername: `pia.${t.tenant}@example.org`, identityProviderConfigURL: IDP } });
    expect(response.status).toBe(400);
    expect((await zugang(p)).status).toBe('KEIN_ZUGANG');
    // The user name was not claimed either: the same Zugang without the URL succeeds.
    expect((await api('POST', `/v2/partner/${p}/zugang?sendEmail=true`, { token: t.adminToken, body: { benutzername: `pia.${t.tenant}@example.org` } })).status).toBe(201);
  });
});
