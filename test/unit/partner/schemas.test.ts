import { createBody, partnerParams, patchBody, rechteBody } from '../../../functions/partner/schemas.js';
import { isPartnerId, randomPartnerId } from '../../../shared/partner/ids.js';

const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('partner input', () => {
  it('partner ids are three capital letters and two digits', () => {
    for (let i = 0; i < 200; i++) expect(isPartnerId(randomPartnerId())).toBe(true);
    expect(partnerParams.safeParse({ partnerId: 'ABC12' }).success).toBe(true);
    for (const bad of ['abc12', 'ABC123', 'AB12', '../x', 'ABC1Z']) expect(partnerParams.safeParse({ partnerId: bad }).success).toBe(false);
  });

  it('a birth date must be a real YYYY-MM-DD date (empty allowed)', () => {
    expect(fieldsOf(patchBody.safeParse({ geburtsdatum: '01.01.1970' }))).toEqual(['geburtsdatum']);
    expect(fieldsOf(patchBody.safeParse({ geburtsdatum: '1970-02-31' }))).toEqual(['geburtsdatum']);
    expect(patchBody.safeParse({ geburtsdatum: '' }).success).toBe(true);
    expect(patchBody.safeParse({ geburtsdatum: '1970-01-01' }).success).toBe(true);
  });

  it('a BIC has 11 capital letters or digits', () => {
    expect(fieldsOf(patchBody.safeParse({ bankverbindung: { bic: 'byladem1001' } }))).toEqual(['bankverbindung.bic']);
    expect(patchBody.safeParse({ bankverbindung: { bic: 'BYLADEM1001' } }).success).toBe(true);
  });

  it('PATCH needs a value for anrede; create ignores an empty one', () => {
    expect(fieldsOf(patchBody.safeParse({ anrede: 'abc' }))).toEqual(['anrede']);
    expect(fieldsOf(patchBody.safeParse({ anrede: '' }))).toEqual(['anrede']);
    expect(createBody.safeParse({ anrede: '' }).success).toBe(true);
  });

  it('wrong types are refused, unknown attributes are dropped', () => {
    expect(fieldsOf(patchBody.safeParse({ kreditsachbearbeiter: 'ja' }))).toEqual(['kreditsachbearbeiter']);
    expect(fieldsOf(patchBody.safeParse({ vorname: 42 }))).toEqual(['vorname']);
    const parsed = patchBody.safeParse({ vorname: 'Max', lieblingsfarbe: 'blau', typ: 'ORGANISATION', partnerId: 'XYZ99' });
    expect(parsed.success && parsed.data).toEqual({ vorname: 'Max' });
  });

  it('rights are booleans per group', () => {
    expect(rechteBody.safeParse({ baufismart: { baufiSmartNutzen: true } }).success).toBe(true);
    expect(fieldsOf(rechteBody.safeParse({ baufismart: { baufiSmartNutzen: 'yes' } }))).toEqual(['baufismart.baufiSmartNutzen']);
  });
});
