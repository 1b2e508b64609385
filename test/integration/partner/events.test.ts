import { readdirSync } from 'node:fs';
import { partnerEvents } from '../../../shared/partner/events.js';
import { type BusEnvelope, busEvents, call, tokenFor, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { api } from './contract.js';
import { createPartner, newTenant, organisation, partnerToken, person, type Tenant } from './support.js';

/**
 * Every partner event type, triggered over HTTP, observed on the local bus and validated against its
 * catalogue entry (docs/events/partner/<DetailType>.schema.json). The set of types is the declared one
 * (`partnerEvents` in shared/partner/events.ts), so a new type without a schema (or never triggered here) fails this file.
 */
const SCHEMA_DIR = 'docs/events/partner';
const emittedTypes = (): string[] => Object.keys(partnerEvents).sort();
/** Field names an event must never carry, at any depth. */
const FORBIDDEN_FIELD = /pass(wor)?d|passwort|kennwort|secret|token|credential|api.?key|private.?key|iban|geburtsdatum/i;

let t: Tenant;
const seen = new Map<string, BusEnvelope>();

/** Waits until an event of this tenant with `type` and a matching detail is on the bus, remembering all of them. */
async function observe(type: string, match: (detail: Record<string, unknown>) => boolean = () => true): Promise<BusEnvelope> {
  return waitFor(
    async () => {
      for (const event of await busEvents()) {
        if (event.source === 'mydata.partner' && event.detail.tenant === t.tenant) seen.set(event.detail.eventId as string, event);
      }
      return [...seen.values()].find((e) => e['detail-type'] === type && match(e.detail));
    },
    { timeoutMs: 15_000 },
  );
}

/** The event as observed, and proof the schema is strict: a smuggled field or a malformed id is refused. */
function expectValid(event: BusEnvelope): void {
  expectInCatalogue(event);
  expect(() => expectInCatalogue({ ...event, detail: { ...event.detail, password: 'hunter2' } })).toThrow(/additional properties/);
  expect(() => expectInCatalogue({ ...event, detail: { ...event.detail, partnerId: 'abc12' } })).toThrow(/partnerId/);
}

const fieldNames = (value: unknown): string[] =>
  value && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => [...(Array.isArray(value) ? [] : [k]), ...fieldNames(v)])
    : [];

let team: string;
let max: string;
let erika: string;
let lead: string;
const maxMail = () => `max.${t.tenant}@example.org`;
const IBAN = 'DE02120300000000202051';

beforeAll(async () => {
  t = await newTenant('events');
});

describe('partner events match the event catalogue (docs/events/partner/)', () => {
  it('every emitted type has a schema and every schema an emitted type', () => {
    const schemas = readdirSync(SCHEMA_DIR).map((f) => f.replace(/\.schema\.json$/, '')).sort();
    expect(emittedTypes().length).toBeGreaterThanOrEqual(16);
    expect(schemas).toEqual(emittedTypes());
  });

  it('PartnerCreated: the tenant root and administrator at onboarding', async () => {
    const root = await observe('PartnerCreated', (d) => d.partnerId === t.root);
    expect(root.detail).toMatchObject({ typ: 'ORGANISATION', root: true });
    expectValid(root);
    const admin = await observe('PartnerCreated', (d) => d.partnerId === t.admin);
    expect(admin.detail).toMatchObject({ typ: 'PERSON', parentId: t.root, einstellungsrechtAuf: [t.root] });
    expectValid(admin);
  });

  it('PartnerCreated: over the API, ids only, no master data', async () => {
    team = await createPartner(t.adminToken, t.root, organisation('Team Events', { email: `team@${t.tenant}.example` }));
    max = await createPartner(t.adminToken, team, person('Max', { email: `max@${t.tenant}.example`, faxnummer: '030 111', bankverbindung: { iban: IBAN } }));
    lead = await createPartner(t.adminToken, t.root, person('Lea'));
    const created = await observe('PartnerCreated', (d) => d.partnerId === max);
    expect(created.detail).toMatchObject({ typ: 'PERSON', parentId: team, createdBy: t.admin, gesperrt: false });
    expectValid(created);
    expectValid(await observe('PartnerCreated', (d) => d.partnerId === team));
  });

  it('PartnerUpdated: PATCH names the changed attributes, never their values', async () => {
    const response = await api('PATCH', `/v2/partner/${max}`, { token: t.adminToken, body: { telefonnummer: '030 987654', anschrift: { ort: 'Musterstadt' }, faxnummer: '' } });
    expect(response.status).toBe(200);
    const updated = await observe('PartnerUpdated', (d) => d.partnerId === max);
    expect(updated.detail).toMatchObject({ changedBy: t.admin, changedFields: ['anschrift', 'faxnummer', 'telefonnummer'] });
    expectValid(updated);
  });

  it('PartnerUpdated: a create that finds the partner (205) updates it', async () => {
    const response = await api('POST', `/v2/partner/${t.root}/untergeordnete`, { token: t.adminToken, body: { partnerId: lead, typ: 'PERSON', vorname: 'Lea', nachname: 'Lead' } });
    expect(response.status).toBe(205);
    const updated = await observe('PartnerUpdated', (d) => d.partnerId === lead);
    expect(updated.detail.changedFields).toEqual(['nachname']);
    expectValid(updated);
  });

  it('PartnerLocked and PartnerUnlocked: PATCH gesperrt', async () => {
    expect((await api('PATCH', `/v2/partner/${team}`, { token: t.adminToken, body: { gesperrt: true } })).status).toBe(200);
    const locked = await observe('PartnerLocked', (d) => d.partnerId === team);
    expect(locked.detail).toMatchObject({ gesperrt: true, changedBy: t.admin });
    expectValid(locked);
    expect((await api('PATCH', `/v2/partner/${team}`, { token: t.adminToken, body: { gesperrt: false } })).status).toBe(200);
    const unlocked = await observe('PartnerUnlocked', (d) => d.partnerId === team);
    expect(unlocked.detail).toMatchObject({ gesperrt: false, changedBy: t.admin });
    expectValid(unlocked);
  });

  it('RechteChanged: the complete rights after the change', async () => {
    const response = await api('PATCH', `/v2/partner/${max}/rechte`, { token: t.adminToken, body: { baufismart: { baufiSmartNutzen: true } } });
    expect(response.status).toBe(200);
    const changed = await observe('RechteChanged', (d) => d.partnerId === max);
    expect(changed.detail.rechte).toEqual(response.body);
    expectValid(changed);
  });

  it('ZugangChanged and ZugangActivationRequested: use case 1 (activation mail)', async () => {
    const response = await api('POST', `/v2/partner/${max}/zugang?sendEmail=true`, { token: t.adminToken, body: { benutzername: maxMail() } });
    expect(response.status).toBe(201);
    const changed = await observe('ZugangChanged', (d) => d.partnerId === max);
    expect(changed.detail).toMatchObject({ status: 'ZUGANG_UNBESTAETIGT', changedBy: t.admin });
    expectValid(changed);
    const activation = await observe('ZugangActivationRequested', (d) => d.partnerId === max);
    expect(activation.detail).toMatchObject({ benutzername: maxMail(), replyTo: `admin@${t.tenant}.example`, requestedBy: t.admin, activationToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expectValid(activation);
    expect(() => expectInCatalogue({ ...activation, detail: { ...activation.detail, replyTo: 'not an address' } })).toThrow(/replyTo/);
    // The activation step with the mail's token: ZugangChanged to ZUGANG_REGISTRIERT, by the person itself.
    const activated = await api('POST', `/v2/partner/${max}/zugang/aktivierung`, { token: await partnerToken(t.tenant, max, undefined), body: { activationToken: activation.detail.activationToken } });
    expect(activated.status).toBe(200);
    const registered = await observe('ZugangChanged', (d) => d.partnerId === max && d.status === 'ZUGANG_REGISTRIERT');
    expect(registered.detail).toMatchObject({ changedBy: max });
    expectValid(registered);
  });

  it('ZugangChanged: use case 3 and the PATCH of the identity-provider name', async () => {
    erika = await createPartner(t.adminToken, t.root, person('Erika'));
    expect((await api('POST', `/v2/partner/${erika}/zugang`, { token: t.adminToken, body: { identityProviderBenutzername: 'erika.idp' } })).status).toBe(201);
    expect((await api('PATCH', `/v2/partner/${erika}/zugang`, { token: t.adminToken, body: { identityProviderBenutzername: 'erika.idp2' } })).status).toBe(200);
    const both = await waitFor(async () => {
      await observe('ZugangChanged', (d) => d.partnerId === erika);
      const mine = [...seen.values()].filter((e) => e['detail-type'] === 'ZugangChanged' && e.detail.partnerId === erika);
      return mine.length >= 2 ? mine : undefined;
    });
    for (const event of both) {
      expect(event.detail.status).toBe('ZUGANG_REGISTRIERT');
      expectValid(event);
    }
  });

  it('UebernahmeRechtGranted: POST uebernahmeRechtFuer', async () => {
    expect((await api('POST', `/v2/partner/${max}/uebernahmeRechtFuer/${erika}`, { token: t.adminToken })).status).toBe(201);
    const granted = await observe('UebernahmeRechtGranted', (d) => d.partnerId === max);
    expect(granted.detail).toMatchObject({ target: erika, grantedBy: t.admin });
    expectValid(granted);
  });

  it('PartnerMoved: PUT parent', async () => {
    expect((await api('PUT', `/v2/partner/${max}/parent`, { token: t.adminToken, body: { partnerId: lead } })).status).toBe(200);
    const moved = await observe('PartnerMoved', (d) => d.partnerId === max);
    expect(moved.detail).toMatchObject({ fromParentId: team, toParentId: lead, movedBy: t.admin });
    expectValid(moved);
  });

  it('EinstellungsrechtGranted and EinstellungsrechtRevoked: PUT and DELETE einstellungsrechtFuer', async () => {
    expect((await api('PUT', `/v2/partner/${lead}/einstellungsrechtFuer/${erika}`, { token: t.adminToken })).status).toBe(201);
    const granted = await observe('EinstellungsrechtGranted', (d) => d.partnerId === lead);
    expect(granted.detail).toMatchObject({ target: erika, grantedBy: t.admin });
    expectValid(granted);
    expect((await api('DELETE', `/v2/partner/${lead}/einstellungsrechtFuer/${erika}`, { token: t.adminToken })).status).toBe(204);
    const revoked = await observe('EinstellungsrechtRevoked', (d) => d.partnerId === lead);
    expect(revoked.detail).toMatchObject({ target: erika, revokedBy: t.admin });
    expectValid(revoked);
  });

  it('HandelsbeziehungAdded and HandelsbeziehungRemoved: PUT and DELETE handelsbeziehungen', async () => {
    expect((await api('PUT', `/v2/partner/${max}/handelsbeziehungen/${erika}`, { token: t.adminToken })).status).toBe(201);
    const added = await observe('HandelsbeziehungAdded', (d) => d.partnerId === max);
    expect(added.detail).toMatchObject({ target: erika, changedBy: t.admin });
    expectValid(added);
    expect((await api('DELETE', `/v2/partner/${erika}/handelsbeziehungen/${max}`, { token: t.adminToken })).status).toBe(204);
    const removed = await observe('HandelsbeziehungRemoved', (d) => d.partnerId === erika);
    expect(removed.detail).toMatchObject({ target: max, changedBy: t.admin });
    expectValid(removed);
  });

  it('PartnerkennzeichenChanged: the names of the changed codes, never their values', async () => {
    const body = { allianzVertreterNummer: '01/012/0123', kennzeichenBhw: { vgeNummer: '6248/205585.0' } };
    expect((await api('PUT', `/v2/partner/${max}/partnerkennzeichen`, { token: t.adminToken, body })).status).toBe(200);
    const changed = await observe('PartnerkennzeichenChanged', (d) => d.partnerId === max);
    expect(changed.detail).toMatchObject({ changedBy: t.admin, changedKennzeichen: ['allianzVertreterNummer', 'kennzeichenBhw'] });
    expectValid(changed);
  });

  it('LizenzChanged: PUT lizenzen/{lizenz}', async () => {
    expect((await api('PUT', `/v2/partner/${max}/lizenzen/europaceOne`, { token: t.adminToken, body: { aktiv: true } })).status).toBe(200);
    const changed = await observe('LizenzChanged', (d) => d.partnerId === max);
    expect(changed.detail).toMatchObject({ lizenz: 'europaceOne', aktiv: true, changedBy: t.admin });
    expectValid(changed);
  });

  it('AdministratorRestored: the platform operator restores the administrator', async () => {
    const response = await call('POST', `/admin/v1/tenants/${t.tenant}/administrator/restore`, { token: await tokenFor({ principal: 'system', sub: 'operator-events' }) });
    expect(response.status).toBe(200);
    const restored = await observe('AdministratorRestored', (d) => d.partnerId === t.admin);
    expect(restored.detail).toMatchObject({ rootPartnerId: t.root, restoredBy: 'operator-events', gesperrt: false });
    expectValid(restored);
  });

  it('all events of the tenant: every type seen, each valid, none with a secret or master data', async () => {
    const events = [...seen.values()];
    expect([...new Set(events.map((e) => e['detail-type']))].sort()).toEqual(emittedTypes());
    for (const event of events) {
      expectInCatalogue(event);
      // The activation mail's one-time token is the one exception, and only in its own event.
      const allowed = event['detail-type'] === 'ZugangActivationRequested' ? ['activationToken'] : [];
      expect(fieldNames(event.detail).filter((name) => FORBIDDEN_FIELD.test(name) && !allowed.includes(name))).toEqual([]);
    }
    const text = JSON.stringify(events.map((e) => e.detail));
    for (const value of [IBAN, '030 987654', '030 111', 'Musterstadt', 'Erika', 'erika.idp', 'Team Events', '01/012/0123', '6248/205585.0']) expect(text).not.toContain(value);
    // E-mail addresses only where the activation mail needs them.
    for (const event of events.filter((e) => e['detail-type'] !== 'ZugangActivationRequested')) {
      expect(JSON.stringify(event.detail)).not.toMatch(/@/);
    }
  });
});
