import { api } from './contract.js';
import { ALL_RECHTE, createPartner, newTenant, organisation, partnerToken, person, type Tenant } from './support.js';

/**
 * Issue 10: nothing read-only by accident. Trading relations, explicit Einstellungsrechte,
 * Partnerkennzeichen and Lizenzen can be set through the API, and the read side and every rule that
 * depends on them change accordingly (Kontaktdaten, visibility, administrierbare, managing).
 *
 * root ─┬─ admin (all rights, Einstellungsrecht on root)
 *       ├─ orgA ── lead (all rights) ── alice
 *       └─ orgB ── bob (all rights)
 */
let t: Tenant;
let orgA: string;
let lead: string;
let alice: string;
let bob: string;
let leadToken: string;
let aliceToken: string;
let bobToken: string;

beforeAll(async () => {
  t = await newTenant('writeside');
  orgA = await createPartner(t.adminToken, t.root, organisation('Vertrieb A'));
  lead = await createPartner(t.adminToken, orgA, person('Lea', { rechte: ALL_RECHTE }));
  alice = await createPartner(t.adminToken, lead, person('Alice', { nachname: 'Anders', telefonnummer: '030 1111' }));
  const orgB = await createPartner(t.adminToken, t.root, organisation('Vertrieb B'));
  bob = await createPartner(t.adminToken, orgB, person('Bob', { nachname: 'Berg', rechte: ALL_RECHTE }));
  [leadToken, aliceToken, bobToken] = await Promise.all([lead, alice, bob].map((id) => partnerToken(t.tenant, id)));
});

describe('trading relations (Handelsbeziehungen)', () => {
  const kontakt = (token: string, id: string) => api('GET', `/v2/partner/${id}/kontaktdaten`, { token });

  it('a partner cannot trade itself into a relation with a partner it does not manage: 404, nothing written', async () => {
    expect((await kontakt(bobToken, alice)).status).toBe(403);
    const response = await api('PUT', `/v2/partner/${bob}/handelsbeziehungen/${alice}`, { token: bobToken });
    expect(response.status).toBe(404);
    expect((await kontakt(bobToken, alice)).status).toBe(403);
    expect((await api('GET', `/v2/partner/${bob}/handelsbeziehungen`, { token: bobToken })).body).toEqual({ content: [] });
  });

  it('set by a partner managing both: each then reads the other\'s Kontaktdaten, nothing more', async () => {
    const added = await api('PUT', `/v2/partner/${alice}/handelsbeziehungen/${bob}`, { token: t.adminToken });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ partnerId: alice, target: bob, handelsbeziehung: true });
    expect((await api('PUT', `/v2/partner/${alice}/handelsbeziehungen/${bob}`, { token: t.adminToken })).status).toBe(200);

    const aliceCard = await kontakt(bobToken, alice);
    expect(aliceCard.status).toBe(200);
    expect(aliceCard.body).toMatchObject({ person: { vorname: 'Alice', nachname: 'Anders' }, telefon: '030 1111' });
    expect((await kontakt(aliceToken, bob)).body).toMatchObject({ person: { vorname: 'Bob', nachname: 'Berg' } });
    // A trading partner sees the business card, not the partner.
    expect((await api('GET', `/v2/partner/${alice}`, { token: bobToken })).status).toBe(404);

    expect((await api('GET', `/v2/partner/${alice}/handelsbeziehungen`, { token: aliceToken })).body).toEqual({ content: [{ partnerId: bob }] });
    expect((await api('GET', `/v2/partner/${bob}/handelsbeziehungen`, { token: bobToken })).body).toEqual({ content: [{ partnerId: alice }] });
  });

  it('ended: the Kontaktdaten are closed again (403); ending it twice is a 404', async () => {
    expect((await api('DELETE', `/v2/partner/${bob}/handelsbeziehungen/${alice}`, { token: t.adminToken })).status).toBe(204);
    expect((await kontakt(bobToken, alice)).status).toBe(403);
    expect((await kontakt(aliceToken, bob)).status).toBe(403);
    expect((await api('GET', `/v2/partner/${alice}/handelsbeziehungen`, { token: aliceToken })).body).toEqual({ content: [] });
    const again = await api('DELETE', `/v2/partner/${bob}/handelsbeziehungen/${alice}`, { token: t.adminToken });
    expect(again.status).toBe(404);
    expect(again.body.message).toMatch(/no trading relation/);
  });

  it('with itself is a 400', async () => {
    const response = await api('PUT', `/v2/partner/${alice}/handelsbeziehungen/${alice}`, { token: t.adminToken });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/itself/);
  });
});

describe('explicit Einstellungsrecht', () => {
  const administrierbare = async (token: string, id: string) =>
    ((await api('GET', `/v2/partner/${id}/administrierbare`, { token })).body.content as { partnerId: string }[]).map((p) => p.partnerId);

  it('cannot be taken by the one who wants it: 404, nothing written', async () => {
    expect((await api('PUT', `/v2/partner/${bob}/einstellungsrechtFuer/${alice}`, { token: bobToken })).status).toBe(404);
    expect(await administrierbare(bobToken, bob)).toEqual([bob]);
    expect((await api('GET', `/v2/partner/${alice}`, { token: bobToken })).status).toBe(404);
  });

  it('granted by a partner managing both: administrierbare lists it and the holder administers the partner', async () => {
    const granted = await api('PUT', `/v2/partner/${bob}/einstellungsrechtFuer/${alice}`, { token: t.adminToken });
    expect(granted.status).toBe(201);
    expect((await api('PUT', `/v2/partner/${bob}/einstellungsrechtFuer/${alice}`, { token: t.adminToken })).status).toBe(200);
    expect(await administrierbare(bobToken, bob)).toEqual([alice, bob].sort());

    expect((await api('GET', `/v2/partner/${alice}`, { token: bobToken })).status).toBe(200);
    const patched = await api('PATCH', `/v2/partner/${alice}`, { token: bobToken, body: { telefonnummer: '030 2222' } });
    expect(patched.status).toBe(200);
    expect((await api('GET', `/v2/partner/${alice}`, { token: t.adminToken })).body.telefonnummer).toBe('030 2222');
    expect((await api('GET', `/v2/partner/${alice}/kontaktdaten`, { token: bobToken })).status).toBe(200);
    expect((await api('PATCH', `/v2/partner/${alice}/rechte`, { token: bobToken, body: { baufismart: { baufiSmartNutzen: true } } })).status).toBe(200);
    // Not the place of the partner: that stays with who manages its parent (decision 0102).
    const move = await api('PUT', `/v2/partner/${alice}/parent`, { token: bobToken, body: { partnerId: bob } });
    expect(move.status).toBe(403);
  });

  it('the holder cannot take away its own (403), nor anyone the one on oneself (400)', async () => {
    const own = await api('DELETE', `/v2/partner/${bob}/einstellungsrechtFuer/${alice}`, { token: bobToken });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/own Einstellungsrecht/);
    expect((await api('GET', `/v2/partner/${alice}`, { token: bobToken })).status).toBe(200);
    expect((await api('DELETE', `/v2/partner/${bob}/einstellungsrechtFuer/${bob}`, { token: t.adminToken })).status).toBe(400);
    expect((await api('PUT', `/v2/partner/${bob}/einstellungsrechtFuer/${bob}`, { token: t.adminToken })).status).toBe(400);
    expect(await administrierbare(bobToken, bob)).toEqual([alice, bob].sort());
  });

  it('revoked: administrierbare no longer lists it and the partner is invisible again; twice is a 404', async () => {
    expect((await api('DELETE', `/v2/partner/${bob}/einstellungsrechtFuer/${alice}`, { token: t.adminToken })).status).toBe(204);
    expect(await administrierbare(bobToken, bob)).toEqual([bob]);
    expect((await api('GET', `/v2/partner/${alice}`, { token: bobToken })).status).toBe(404);
    expect((await api('PATCH', `/v2/partner/${alice}`, { token: bobToken, body: { telefonnummer: '030 3333' } })).status).toBe(404);
    expect((await api('DELETE', `/v2/partner/${bob}/einstellungsrechtFuer/${alice}`, { token: t.adminToken })).status).toBe(404);
  });
});

describe('Partnerkennzeichen', () => {
  const codes = {
    dslSapGeschaeftspartnerNummerFuerRatenkredit: 'cdts-dsl-sap-vo',
    kennzeichenIngDiba: { vermittlerNummer: '9800002186', vermittlerVorname: 'wer' },
    kennzeichenBhw: { vgeNummer: '6248/205585.0', zurIdentifikationsPruefungLegitimiert: 'false' },
    allianzVertreterNummer: '01/012/0123',
    vertriebsOrganisation: { name: 'Vertriebsorganisation Name', partnerId: 'ABC12' },
  };
  const read = async () => (await api('GET', `/v2/partner/${alice}/partnerkennzeichen`, { token: t.adminToken })).body;

  it('set by a partner with the Einstellungsrecht, GET shows exactly what was set', async () => {
    expect(await read()).toEqual({});
    const response = await api('PUT', `/v2/partner/${alice}/partnerkennzeichen`, { token: leadToken, body: codes });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(codes);
    expect(await read()).toEqual(codes);
  });

  it('an unknown code or a wrong type is a 400 naming it, and nothing changes', async () => {
    const unknown = await api('PUT', `/v2/partner/${alice}/partnerkennzeichen`, { token: leadToken, body: { ...codes, lieblingsBank: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/lieblingsBank/);
    const wrong = await api('PUT', `/v2/partner/${alice}/partnerkennzeichen`, { token: leadToken, body: { allianzVertreterNummer: 42 } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/allianzVertreterNummer/);
    const nested = await api('PUT', `/v2/partner/${alice}/partnerkennzeichen`, { token: leadToken, body: { kennzeichenErgo: { maklerBuero: 'x', geheim: 'y' } } });
    expect(nested.status).toBe(400);
    expect(await read()).toEqual(codes);
  });

  it('the same codes in another key order change nothing (200, same codes; found by the fuzz suite as a 500)', async () => {
    const reordered = Object.fromEntries(Object.entries(codes).reverse());
    const response = await api('PUT', `/v2/partner/${alice}/partnerkennzeichen`, { token: leadToken, body: reordered });
    expect(response.status).toBe(200);
    expect(await read()).toEqual(codes);
  });

  it('a partner without the Einstellungsrecht gets 404 and changes nothing', async () => {
    expect((await api('PUT', `/v2/partner/${alice}/partnerkennzeichen`, { token: bobToken, body: {} })).status).toBe(404);
    expect(await read()).toEqual(codes);
  });

  it('replaced as a whole: {} removes them all', async () => {
    expect((await api('PUT', `/v2/partner/${alice}/partnerkennzeichen`, { token: leadToken, body: { bshVoNummer: 'abc' } })).body).toEqual({ bshVoNummer: 'abc' });
    expect(await read()).toEqual({ bshVoNummer: 'abc' });
    expect((await api('PUT', `/v2/partner/${alice}/partnerkennzeichen`, { token: leadToken, body: {} })).status).toBe(200);
    expect(await read()).toEqual({});
  });
});

describe('Lizenzen', () => {
  const today = () => new Date().toISOString().slice(0, 10);
  const read = async () => (await api('GET', `/v2/partner/${alice}/lizenzen`, { token: t.adminToken })).body;

  it('the administrator (Einstellungsrecht on the root) switches a licence on; GET shows it active since today', async () => {
    expect(await read()).toEqual({});
    const response = await api('PUT', `/v2/partner/${alice}/lizenzen/europaceOne`, { token: t.adminToken, body: { aktiv: true } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ europaceOne: { aktiv: true, aktiviertSeit: today() } });
    expect(await read()).toEqual({ europaceOne: { aktiv: true, aktiviertSeit: today() } });
  });

  it('a manager can only pass on a licence it holds itself (403 LizenzNotHeld, nothing written)', async () => {
    const refused = await api('PUT', `/v2/partner/${alice}/lizenzen/premiumReporting`, { token: leadToken, body: { aktiv: true } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/premiumReporting/);
    expect(Object.keys(await read())).toEqual(['europaceOne']);
    expect((await api('PUT', `/v2/partner/${lead}/lizenzen/premiumReporting`, { token: t.adminToken, body: { aktiv: true } })).status).toBe(200);
    const passed = await api('PUT', `/v2/partner/${alice}/lizenzen/premiumReporting`, { token: leadToken, body: { aktiv: true } });
    expect(passed.status).toBe(200);
    expect((await read()).premiumReporting).toEqual({ aktiv: true, aktiviertSeit: today() });
  });

  it('switched off by any manager: still known, inactive, with its date', async () => {
    expect((await api('PUT', `/v2/partner/${alice}/lizenzen/europaceOne`, { token: leadToken, body: { aktiv: false } })).status).toBe(200);
    expect((await read()).europaceOne).toEqual({ aktiv: false, aktiviertSeit: today() });
  });

  it('bad names and bodies are a 400, an outsider a 404; nothing changes', async () => {
    const before = await read();
    const badName = await api('PUT', `/v2/partner/${alice}/lizenzen/Europace-One`, { token: t.adminToken, body: { aktiv: true } });
    expect(badName.status).toBe(400);
    expect(badName.body.message).toMatch(/lizenz/);
    expect((await api('PUT', `/v2/partner/${alice}/lizenzen/europaceOne`, { token: t.adminToken, body: { aktiv: 'ja' } })).status).toBe(400);
    expect((await api('PUT', `/v2/partner/${alice}/lizenzen/europaceOne`, { token: t.adminToken, body: {} })).status).toBe(400);
    expect((await api('PUT', `/v2/partner/${alice}/lizenzen/europaceOne`, { token: bobToken, body: { aktiv: true } })).status).toBe(404);
    expect(await read()).toEqual(before);
  });
});
