import type { Anschrift, Bankverbindung, PartnerAttributes, Typ } from './model.js';

/**
 * The master-data rules of create and PATCH (guide and spec), pure. Input is already type-checked by
 * the handler's schema; these functions decide what is kept, dropped or deleted.
 */
const PERSON_ONLY = ['anrede', 'vorname', 'nachname', 'titelFunktion', 'geburtsdatum', 'kreditsachbearbeiter'] as const;
const ORGANISATION_ONLY = ['name'] as const;
const COMMON_TEXT = [
  'email',
  'externePartnerId',
  'telefonnummer',
  'mobilnummer',
  'faxnummer',
  'firmenname',
  'firmennameZusatz',
  'webseite',
  'aufsichtsbehoerde',
  'registrierungsnummer',
] as const;

/** What PATCH may change (the spec's list); anything else in the body is ignored. */
export const PATCHABLE = [
  'anrede',
  'anschrift',
  'aufsichtsbehoerde',
  'bankverbindung',
  'email',
  'externePartnerId',
  'faxnummer',
  'firmenname',
  'firmennameZusatz',
  'geburtsdatum',
  'kreditsachbearbeiter',
  'mobilnummer',
  'name',
  'vorname',
  'nachname',
  'registrierungsnummer',
  'telefonnummer',
  'titelFunktion',
  'webseite',
] as const;

/** The attribute input both create and PATCH accept (after schema validation). */
export type AttributeInput = { [K in keyof PartnerAttributes]?: PartnerAttributes[K] | '' } & {
  anschrift?: Anschrift;
  bankverbindung?: Bankverbindung;
};

const belongsTo = (typ: Typ, field: string) =>
  typ === 'PERSON'
    ? !(ORGANISATION_ONLY as readonly string[]).includes(field)
    : !(PERSON_ONLY as readonly string[]).includes(field);

function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  if (!value) return undefined;
  const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '' && v !== undefined));
  return Object.keys(kept).length > 0 ? (kept as T) : undefined;
}

/** Create: keep only the type's attributes, ignore empty strings; partnerId/typ are not attributes. */
export function createAttributes(typ: Typ, input: AttributeInput): PartnerAttributes {
  const out: Record<string, unknown> = {};
  for (const field of [...PERSON_ONLY, ...ORGANISATION_ONLY, ...COMMON_TEXT]) {
    const value = input[field];
    if (value === undefined || value === '' || !belongsTo(typ, field)) continue;
    out[field] = value;
  }
  const anschrift = nonEmpty(input.anschrift);
  const bankverbindung = nonEmpty(input.bankverbindung);
  if (anschrift) out.anschrift = anschrift;
  if (bankverbindung) out.bankverbindung = bankverbindung;
  return out as PartnerAttributes;
}

/** Nested objects change field by field; `""` deletes a field and an empty object disappears. */
function mergeNested<T extends object>(current: T | undefined, change: T | undefined | ''): T | undefined {
  if (change === undefined) return current;
  if (change === '') return undefined;
  const next: Record<string, unknown> = { ...(current ?? {}) };
  for (const [field, value] of Object.entries(change)) {
    if (value === undefined) continue;
    if (value === '') delete next[field];
    else next[field] = value;
  }
  return Object.keys(next).length > 0 ? (next as T) : undefined;
}

/** PATCH: only the listed attributes of the partner's type move; `""` deletes; the rest stays. */
export function patchAttributes(typ: Typ, current: PartnerAttributes, change: AttributeInput): PartnerAttributes {
  const next: Record<string, unknown> = { ...current };
  for (const field of PATCHABLE) {
    const value = (change as Record<string, unknown>)[field];
    if (value === undefined || !belongsTo(typ, field)) continue;
    if (field === 'anschrift' || field === 'bankverbindung') {
      const merged = mergeNested(current[field] as object | undefined, value as object | '');
      if (merged) next[field] = merged;
      else delete next[field];
    } else if (value === '') delete next[field];
    else next[field] = value;
  }
  return next as PartnerAttributes;
}

export function sameAttributes(a: PartnerAttributes, b: PartnerAttributes): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** Names of the attributes that differ (for the event, never their values). */
export function changedFields(a: PartnerAttributes, b: PartnerAttributes): string[] {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...fields]
    .filter((f) => JSON.stringify(sortKeys((a as Record<string, unknown>)[f])) !== JSON.stringify(sortKeys((b as Record<string, unknown>)[f])))
    .sort();
}
