import { busEvents, waitFor } from '../../support/api.js';
import { api } from './contract.js';
import { createPartner, newTenant, partnerToken, type Tenant } from './support.js';

/**
 * The requests of Europace's partner API guide and Postman collection, as Europace documents them (trailing
 * slashes on GET and PATCH, the X-Trace-Id spellings, rights set with POST), against the local platform.
 */
const guidePerson = {
  anrede: 'HERR',
  vorname: 'Max',
  nachname: 'Mustermann',
  email: 'max.musterman@exmaple.org',
  gesperrt: false,
  kreditsachbearbeiter: true,
  externePartnerId: '123456',
  titelFunktion: 'Softwareentwickler',
  geburtsdatum: '1970-01-01',
  telefonnummer: '030 123456',
  mobilnummer: '030 123456',
  faxnummer: '030 123456',
  firmenname: 'Europace AG',
  firmennameZusatz: 'Aktiengesellschaft',
  webseite: 'https://github.com/europace/partner-api',
  anschrift: { strasse: 'Musterstraße', hausnummer: '5', plz: '12345', ort: 'Musterstadt' },
  bankverbindung: { kontoinhaber: 'Max Musterman', bic: 'BYLADEM1001', iban: 'DE02120300000000202051', referenzFeld: 'Test Ref' },
  aufsichtsbehoerde: 'Musterbehoerde',
  registrierungsnummer: '987654',
};

let t: Tenant;
let max: string;

beforeAll(async () => {
  t = await newTenant('guide');
});

describe("Europace's guide and Postman collection, step by step", () => {
  it('creates a person below a partner: 201, Location, the full master data, rights false', async () => {
    const response = await api('POST', `/v2/partner/${t.root}/untergeordnete`, {
      token: t.adminToken,
      body: { ...guidePerson, partnerId: 'ZZZ99', lieblingsfarbe: 'blau' },
      headers: { 'X-Trace-Id': 'ff-request-2020-08-28-07-55' },
    });
    expect(response.status).toBe(201);
    max = response.body.partnerId;
    expect(max).toMatch(/^[A-Z]{3}[0-9]{2}$/);
    expect(max).not.toBe('ZZZ99');
    expect(response.headers.get('location')).toMatch(new RegExp(`/v2/partner/${max}$`));
    expect(response.body).toEqual({ ...guidePerson, partnerId: max, typ: 'PERSON', parent: { partnerId: t.root } });
    const rechte = await api('GET', `/v2/partner/${max}/rechte`, { token: t.adminToken });
    expect(Object.values(rechte.body).flatMap((g) => Object.values(g as object))).toEqual(Array(13).fill(false));
  });

  it('reads the partner (with the trailing slash of the postman collection) and its Kontaktdaten', async () => {
    const partner = await api('GET', `/v2/partner/${max}/`, { token: t.adminToken, headers: { 'X-TraceId': 'mine-1' } });
    expect(partner.status).toBe(200);
    expect(partner.body.vorname).toBe('Max');
    expect(partner.headers.get('etag')).toBeTruthy();
    const kontakt = await api('GET', `/v2/partner/${max}/kontaktdaten`, { token: t.adminToken });
    expect(kontakt.body).toMatchObject({
      person: { anrede: 'HERR', vorname: 'Max', nachname: 'Mustermann', titelFunktion: 'Softwareentwickler', geburtsdatum: '1970-01-01' },
      firmenName: 'Europace AG',
      telefon: '030 123456',
      Paragraph34c: { registrierungsNummer: '987654', aufsichtsBehörde: 'Musterbehoerde' },
    });
  });

  it('PATCHes only what is sent, "" deletes, partnerId and typ are ignored', async () => {
    const response = await api('PATCH', `/v2/partner/${max}/`, {
      token: t.adminToken,
      body: { firmenname: 'Mustermann AG2', faxnummer: '', partnerId: 'XYZ99', typ: 'ORGANISATION' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ partnerId: max, typ: 'PERSON', firmenname: 'Mustermann AG2', vorname: 'Max' });
    expect(response.body).not.toHaveProperty('faxnummer');
  });

  it('refuses an invalid anrede with 400 and the trace id', async () => {
    const response = await api('PATCH', `/v2/partner/${max}`, { token: t.adminToken, body: { anrede: 'abc' }, headers: { 'X-Traceid': 'ff-request-2014-10-01-07-55' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ traceId: 'ff-request-2014-10-01-07-55' });
    expect(response.body.message).toMatch(/anrede/);
  });

  it('Zugang use case 1: a Europace user with an activation mail', async () => {
    const benutzername = `max.${t.tenant}@example.org`;
    const response = await api('POST', `/v2/partner/${max}/zugang?sendEmail=true`, { token: t.adminToken, body: { benutzername } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ partnerId: max, status: 'ZUGANG_UNBESTAETIGT', benutzername });
    const activation = await waitFor(async () =>
      (await busEvents()).find((e) => e['detail-type'] === 'ZugangActivationRequested' && e.detail.tenant === t.tenant),
    );
    // The administrator (the creator) has an e-mail address: replies go there.
    expect(activation.detail).toMatchObject({ partnerId: max, benutzername, replyTo: `admin@${t.tenant}.example` });
    expect((await api('GET', `/v2/partner/${max}/zugang`, { token: t.adminToken })).body.status).toBe('ZUGANG_UNBESTAETIGT');
  });

  it('Zugang use case 2: own identity provider, no mail', async () => {
    const moritz = await createPartner(t.adminToken, t.root, { vorname: 'Moritz', nachname: 'Muster' });
    const benutzername = `moritz.${t.tenant}@deineOrganisation.de`;
    const response = await api('POST', `/v2/partner/${moritz}/zugang?sendEmail=false`, { token: t.adminToken, body: { benutzername } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ partnerId: moritz, status: 'ZUGANG_REGISTRIERT', benutzername });
    const taken = await api('POST', `/v2/partner/${max}/zugang`, { token: t.adminToken, body: { benutzername: benutzername.toUpperCase() } });
    expect(taken.status).toBe(406); // max already has a Zugang
    const other = await createPartner(t.adminToken, t.root, { vorname: 'Erika', nachname: 'Muster' });
    expect((await api('POST', `/v2/partner/${other}/zugang`, { token: t.adminToken, body: { benutzername } })).status).toBe(409);
  });

  it('Zugang use case 3 and its PATCH: only the identity provider name, never a mail', async () => {
    const erika = await createPartner(t.adminToken, t.root, { vorname: 'Erika', nachname: 'Mustermann' });
    const created = await api('POST', `/v2/partner/${erika}/zugang?sendEmail=true`, {
      token: t.adminToken,
      body: { identityProviderBenutzername: 'maxi.mustermann01' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ partnerId: erika, status: 'ZUGANG_REGISTRIERT', identityProviderBenutzername: 'maxi.mustermann01' });
    const patched = await api('PATCH', `/v2/partner/${erika}/zugang`, { token: t.adminToken, body: { identityProviderBenutzername: 'maxi.muster' } });
    expect(patched.status).toBe(200);
    expect(patched.body.identityProviderBenutzername).toBe('maxi.muster');
    const events = await busEvents();
    expect(events.some((e) => e['detail-type'] === 'ZugangActivationRequested' && e.detail.partnerId === erika)).toBe(false);
  });

  it('sets rights with POST (guide) and PATCH (spec); only the named ones move', async () => {
    const post = await api('POST', `/v2/partner/${max}/rechte`, { token: t.adminToken, body: { baufismart: { baufiSmartNutzen: true, echtgeschaeft: true } } });
    expect(post.status).toBe(200);
    expect(post.body.baufismart).toMatchObject({ baufiSmartNutzen: true, echtgeschaeft: true, loeschen: false });
    const patch = await api('PATCH', `/v2/partner/${max}/rechte/`, { token: t.adminToken, body: { baufismart: { echtgeschaeft: false } } });
    expect(patch.body.baufismart).toMatchObject({ baufiSmartNutzen: true, echtgeschaeft: false });
    await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'RechteChanged' && e.detail.partnerId === max));
  });

  it('a caller grants only rights it holds itself', async () => {
    const lead = await createPartner(t.adminToken, t.root, { vorname: 'Lea', nachname: 'Lead', rechte: { partnermanagement: { partnerAnlegen: true } } });
    const leadToken = await partnerToken(t.tenant, lead);
    const below = await createPartner(leadToken, lead, { vorname: 'Ben' });
    const refused = await api('PATCH', `/v2/partner/${below}/rechte`, { token: leadToken, body: { baufismart: { echtgeschaeft: true } } });
    expect(refused.status).toBe(403);
    const granted = await api('PATCH', `/v2/partner/${below}/rechte`, { token: leadToken, body: { partnermanagement: { partnerAnlegen: true } } });
    expect(granted.status).toBe(200);
    expect(granted.body.partnermanagement.partnerAnlegen).toBe(true);
  });

  it('adds a Zugriffsrecht: ABC12 may then take over the Vorgänge of XYZ56', async () => {
    const xyz = await createPartner(t.adminToken, t.root, { vorname: 'Xaver' });
    const before = await api('GET', `/v2/partner/${max}/uebernahmeRechtFuer/${xyz}`, { token: t.adminToken });
    expect(before.body).toEqual({ partner: { partnerId: xyz, gesperrt: false }, uebernehmbar: false });
    const granted = await api('POST', `/v2/partner/${max}/uebernahmeRechtFuer/${xyz}`, { token: t.adminToken, headers: { 'X-Trace-Id': 'My-COLLECTION-8301' } });
    expect(granted.status).toBe(201);
    const after = await api('GET', `/v2/partner/${max}/uebernahmeRechtFuer/${xyz}`, { token: t.adminToken });
    expect(after.body.uebernehmbar).toBe(true);
    const list = await api('GET', `/v2/partner/${max}/uebernehmbare`, { token: t.adminToken });
    expect(list.body.content).toEqual([{ partnerId: xyz }]);
    const event = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'UebernahmeRechtGranted' && e.detail.partnerId === max));
    expect(event).toMatchObject({ source: 'mydata.partner', detail: { tenant: t.tenant, target: xyz, grantedBy: t.admin } });
  });

  it('lists what the administrator can manage: itself and the root', async () => {
    const response = await api('GET', `/v2/partner/${t.admin}/administrierbare`, { token: t.adminToken });
    expect(response.status).toBe(200);
    expect(response.body.content.map((c: { partnerId: string }) => c.partnerId).sort()).toEqual([t.admin, t.root].sort());
  });

  it('finds the partner by its external id', async () => {
    const response = await api('GET', '/v2/partners?externePartnerId=123456', { token: t.adminToken });
    expect(response.body.total).toBe(1);
    expect(response.body.partners[0]).toMatchObject({ partnerId: max });
    expect(response.body.partners[0].href).toMatch(new RegExp(`/v2/partner/${max}$`));
  });

  it('every change went out through the outbox as a mydata.partner event without secrets', async () => {
    const types = await waitFor(async () => {
      const mine = (await busEvents()).filter((e) => e.source === 'mydata.partner' && e.detail.tenant === t.tenant);
      const seen = new Set(mine.map((e) => e['detail-type']));
      return ['PartnerCreated', 'PartnerUpdated', 'RechteChanged', 'ZugangChanged', 'UebernahmeRechtGranted'].every((x) => seen.has(x)) && mine;
    });
    for (const event of types) {
      expect(event.detail).toMatchObject({ tenant: t.tenant, eventId: expect.any(String), occurredAt: expect.any(String) });
      expect(JSON.stringify(event.detail)).not.toMatch(/iban|password/i);
      // The activation mail's one-time token is the only token an event carries (its schema says so).
      if (event['detail-type'] !== 'ZugangActivationRequested') expect(JSON.stringify(event.detail)).not.toMatch(/token/i);
    }
  });
});
