import type { PartnerView } from './access.js';
import type { PartnerRecord } from './model.js';

/** How partners look on the wire (the spec's Partner, Plakette and Kontaktdaten). */
export function partnerBody(view: PartnerView): Record<string, unknown> {
  const { record } = view;
  return {
    partnerId: record.partnerId,
    typ: record.typ,
    ...record.attributes,
    gesperrt: view.gesperrt,
    ...(record.parentId ? { parent: { partnerId: record.parentId } } : {}),
  };
}

export function plaketteBody(view: PartnerView): Record<string, unknown> {
  const { record } = view;
  const a = record.attributes;
  const body: Record<string, unknown> = { partnerId: record.partnerId, typ: record.typ };
  for (const field of ['vorname', 'nachname', 'name', 'email', 'kreditsachbearbeiter'] as const) {
    if (a[field] !== undefined) body[field] = a[field];
  }
  body.gesperrt = view.gesperrt;
  return body;
}

/** The business card: a person's or an organisation's name, company, phones, address, §34c data. */
export function kontaktdatenBody(record: PartnerRecord): Record<string, unknown> {
  const a = record.attributes;
  const pick = (entries: [string, unknown][]) => {
    const kept = entries.filter(([, v]) => v !== undefined && v !== '');
    return kept.length > 0 ? Object.fromEntries(kept) : undefined;
  };
  const identity =
    record.typ === 'PERSON'
      ? {
          person: pick([
            ['anrede', a.anrede],
            ['vorname', a.vorname],
            ['nachname', a.nachname],
            ['titelFunktion', a.titelFunktion],
            ['geburtsdatum', a.geburtsdatum],
          ]) ?? {},
        }
      : { organisation: pick([['organisationsName', a.name]]) ?? {} };
  const rest = pick([
    ['firmenName', a.firmenname],
    ['firmenNameZusatz', a.firmennameZusatz],
    ['telefon', a.telefonnummer],
    ['fax', a.faxnummer],
    ['mobiltelefon', a.mobilnummer],
    ['email', a.email],
    ['website', a.webseite],
    ['anschrift', a.anschrift],
    [
      'Paragraph34c',
      pick([
        ['registrierungsNummer', a.registrierungsnummer],
        ['aufsichtsBehörde', a.aufsichtsbehoerde],
      ]),
    ],
  ]);
  return { ...identity, ...(rest ?? {}) };
}

/** The partner's version as the API shows it (its ETag, `If-Match` names it): any write changes it. */
export const versionOf = (record: PartnerRecord): string => `${record.partnerId}-${record.version}`;
