/**
 * ISO 13616 IBAN check: two letters (country), two check digits, 10–30 letters or digits, and the
 * mod-97 checksum (ISO 7064 MOD 97-10): the country code and check digits moved to the end, letters
 * as 10–35, the number modulo 97 must be 1. Computed piecewise, so no big integers are needed.
 */
export const IBAN_SHAPE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/;

export function ibanChecksumOk(iban: string): boolean {
  if (!IBAN_SHAPE.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
