import type { PartnerRecord } from '../../../shared/partner/model.js';
import { noRechte } from '../../../shared/partner/rechte.js';
import { kontaktdatenBody, partnerBody, versionOf } from '../../../shared/partner/representation.js';
import { etagOf as etagOfVersion, expectedVersionOf } from '../../../shared/platform/http.js';
import { versionMeets } from '../../../shared/platform/versions.js';
import { NOREPLY_ADDRESS, replyAddress } from '../../../shared/partner/zugang-service.js';

/** The partner's ETag and the If-Match check, as the HTTP stack builds them from the partner's version. */
const etagOf = (record: PartnerRecord) => etagOfVersion(versionOf(record));
const ifMatchAccepts = (header: string | undefined, record: PartnerRecord) => versionMeets(expectedVersionOf(header), versionOf(record));

const person: PartnerRecord = {
  tenant: 't',
  partnerId: 'ABC12',
  typ: 'PERSON',
  parentId: 'ROO00',
  path: ['ROO00'],
  locked: false,
  rechte: noRechte(),
  attributes: {
    anrede: 'FRAU',
    vorname: 'Maxi',
    nachname: 'Musterfrau',
    firmenname: 'Immofin AG',
    telefonnummer: '030-12345-0',
    registrierungsnummer: 'D-W-1',
    aufsichtsbehoerde: 'IHK Berlin',
    anschrift: { ort: 'Berlin' },
  },
  kennzeichen: {},
  lizenzen: {},
  version: 3,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('representation', () => {
  it('a partner carries its type, its parent and the effective lock', () => {
    expect(partnerBody({ record: person, path: person.path, gesperrt: true })).toMatchObject({
      partnerId: 'ABC12',
      typ: 'PERSON',
      vorname: 'Maxi',
      gesperrt: true,
      parent: { partnerId: 'ROO00' },
    });
  });

  it('Kontaktdaten of a person are its business card', () => {
    expect(kontaktdatenBody(person)).toEqual({
      person: { anrede: 'FRAU', vorname: 'Maxi', nachname: 'Musterfrau' },
      firmenName: 'Immofin AG',
      telefon: '030-12345-0',
      anschrift: { ort: 'Berlin' },
      Paragraph34c: { registrierungsNummer: 'D-W-1', aufsichtsBehörde: 'IHK Berlin' },
    });
  });

  it('Kontaktdaten of an organisation name it as organisationsName', () => {
    const org: PartnerRecord = { ...person, typ: 'ORGANISATION', attributes: { name: 'Immofin', webseite: 'http://www.immofin.de' } };
    expect(kontaktdatenBody(org)).toEqual({ organisation: { organisationsName: 'Immofin' }, website: 'http://www.immofin.de' });
  });

  it('If-Match accepts the current ETag or *, and refuses an older one', () => {
    expect(ifMatchAccepts(undefined, person)).toBe(true);
    expect(ifMatchAccepts('*', person)).toBe(true);
    expect(ifMatchAccepts(etagOf(person), person)).toBe(true);
    expect(ifMatchAccepts(`W/${etagOf(person)}`, person)).toBe(true);
    expect(ifMatchAccepts(etagOf({ ...person, version: 2 }), person)).toBe(false);
  });

  it('activation mail replies go to the creator\'s e-mail, else its user name, else noreply', () => {
    expect(replyAddress('chef@immofin.de', 'chef.login@immofin.de')).toBe('chef@immofin.de');
    expect(replyAddress(undefined, 'chef.login@immofin.de')).toBe('chef.login@immofin.de');
    expect(replyAddress(undefined, undefined)).toBe(NOREPLY_ADDRESS);
  });
});
