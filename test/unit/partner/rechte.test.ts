import { allRechte, applyRechte, noRechte, normaliseRechte, rechteBeyondCaller } from '../../../shared/partner/rechte.js';

describe('Rechte', () => {
  it('a new person holds no right at all', () => {
    const rechte = noRechte();
    expect(Object.values(rechte).flatMap((group) => Object.values(group))).toEqual(Array(13).fill(false));
  });

  it('a change moves only the named rights and leaves the others as they were', () => {
    const before = applyRechte(noRechte(), { kreditsmart: { kreditSmartSichtbar: true } });
    const after = applyRechte(before, { baufismart: { baufiSmartNutzen: true, echtgeschaeft: false } });
    expect(after.baufismart.baufiSmartNutzen).toBe(true);
    expect(after.baufismart.echtgeschaeft).toBe(false);
    expect(after.kreditsmart.kreditSmartSichtbar).toBe(true);
    expect(after.partnermanagement.partnerAnlegen).toBe(false);
  });

  it('a caller can only grant rights it holds itself, but may always take rights away', () => {
    const caller = applyRechte(noRechte(), { baufismart: { baufiSmartNutzen: true } });
    expect(rechteBeyondCaller({ baufismart: { baufiSmartNutzen: true, echtgeschaeft: true } }, caller)).toEqual(['baufismart.echtgeschaeft']);
    expect(rechteBeyondCaller({ baufismart: { echtgeschaeft: false }, kreditsmart: { echtgeschaeft: false } }, caller)).toEqual([]);
    expect(rechteBeyondCaller({ partnermanagement: { partnerAnlegen: true } }, allRechte())).toEqual([]);
  });

  it('stored rights missing a group or field read as false', () => {
    const rechte = normaliseRechte({ baufismart: { loeschen: true } });
    expect(rechte.baufismart.loeschen).toBe(true);
    expect(rechte.kreditsmart.echtgeschaeft).toBe(false);
  });
});
