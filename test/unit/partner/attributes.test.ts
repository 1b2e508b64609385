import { changedFields, createAttributes, patchAttributes } from '../../../shared/partner/attributes.js';

describe('master data on create', () => {
  it('keeps a person\'s attributes, drops organisation ones and empty strings', () => {
    const attributes = createAttributes('PERSON', {
      vorname: 'Max',
      nachname: 'Mustermann',
      name: 'Immofin GmbH',
      telefonnummer: '',
      anschrift: { strasse: 'Musterstraße', hausnummer: '' },
    });
    expect(attributes).toEqual({ vorname: 'Max', nachname: 'Mustermann', anschrift: { strasse: 'Musterstraße' } });
  });

  it('drops person attributes for organisations', () => {
    const attributes = createAttributes('ORGANISATION', { name: 'Immofin', vorname: 'Max', anrede: 'HERR', kreditsachbearbeiter: true, email: 'a@b.de' });
    expect(attributes).toEqual({ name: 'Immofin', email: 'a@b.de' });
  });

  it('ignores unknown attributes', () => {
    const input = { vorname: 'Max', unbekannt: 'x' } as unknown as Parameters<typeof createAttributes>[1];
    expect(createAttributes('PERSON', input)).toEqual({ vorname: 'Max' });
  });
});

describe('master data on PATCH', () => {
  const current = { vorname: 'Max', nachname: 'Mustermann', telefonnummer: '030 1', anschrift: { strasse: 'A', ort: 'Berlin' } };

  it('overwrites only the attributes in the request', () => {
    expect(patchAttributes('PERSON', current, { firmenname: 'Mustermann AG2' })).toEqual({ ...current, firmenname: 'Mustermann AG2' });
  });

  it('deletes a value sent as an empty string, also inside anschrift', () => {
    const next = patchAttributes('PERSON', current, { telefonnummer: '', anschrift: { ort: '' } });
    expect(next).toEqual({ vorname: 'Max', nachname: 'Mustermann', anschrift: { strasse: 'A' } });
  });

  it('ignores attributes of the other type and anything not on the list', () => {
    const change = { name: 'Org', partnerId: 'XYZ99', typ: 'ORGANISATION', gesperrt: true } as unknown as Parameters<typeof patchAttributes>[2];
    expect(patchAttributes('PERSON', current, change)).toEqual(current);
  });

  it('names what changed, not its values', () => {
    expect(changedFields(current, patchAttributes('PERSON', current, { vorname: 'Moritz', telefonnummer: '' }))).toEqual(['telefonnummer', 'vorname']);
  });
});
