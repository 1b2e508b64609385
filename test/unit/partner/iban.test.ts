import { patchBody } from '../../../functions/partner/schemas.js';
import { ibanChecksumOk } from '../../../shared/partner/iban.js';

describe('IBAN check sum (ISO 13616, mod 97)', () => {
  it('accepts real IBANs of several countries', () => {
    for (const iban of ['DE02120300000000202051', 'DE89370400440532013000', 'GB82WEST12345698765432', 'NL91ABNA0417164300', 'FR1420041010050500013M02606']) {
      expect({ iban, ok: ibanChecksumOk(iban) }).toEqual({ iban, ok: true });
    }
  });

  it('refuses a wrong check sum, a changed digit, swapped digits and malformed values', () => {
    for (const iban of ['DE00120300000000202051', 'DE02120300000000202052', 'DE02120300000000202015', 'DE0212030000', 'de02120300000000202051', '']) {
      expect({ iban, ok: ibanChecksumOk(iban) }).toEqual({ iban, ok: false });
    }
  });

  it('the PATCH schema names the field and the check sum; an empty IBAN (delete) passes', () => {
    const bad = patchBody.safeParse({ bankverbindung: { iban: 'DE00120300000000202051' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['bankverbindung.iban', expect.stringMatching(/check sum/)]]);
    expect(patchBody.safeParse({ bankverbindung: { iban: '' } }).success).toBe(true);
    expect(patchBody.safeParse({ bankverbindung: { iban: 'DE02120300000000202051' } }).success).toBe(true);
  });
});
