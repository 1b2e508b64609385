import * as z from 'zod/mini';
import { IBAN_SHAPE, ibanChecksumOk } from '../../shared/partner/iban.js';
import { PARTNER_ID_PATTERN } from '../../shared/partner/ids.js';

/**
 * Input schemas of the partner API, shared by its handlers. Unknown attributes are stripped (the
 * spec: "unknown attributes are ignored"); everything type-wrong is a 400 naming the field.
 */
const MAX_TEXT = 500;
const text = () => z.string().check(z.maxLength(MAX_TEXT, `at most ${MAX_TEXT} characters`));
const optionalText = () => z.optional(text());

export const partnerId = () => z.string().check(z.regex(PARTNER_ID_PATTERN, 'must be a partner id of 3 capital letters and 2 digits, e.g. ABC12'));
export const partnerParams = z.object({ partnerId: partnerId() });

/** Only judges values of the right shape, so a malformed date is reported once (by the pattern). */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return true;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const geburtsdatum = z.string().check(
  z.regex(/^$|^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  z.refine(isCalendarDate, 'must be a real calendar date YYYY-MM-DD'),
);
const email = z.union([z.literal(''), z.email('must be an e-mail address')]);
const webseite = z.union([z.literal(''), z.url('must be a URL')]);
const anrede = z.enum(['HERR', 'FRAU'], 'Enum literal für anrede muss FRAU oder HERR sein');

const anschrift = z.object({ strasse: optionalText(), hausnummer: optionalText(), plz: optionalText(), ort: optionalText() });
const bankverbindung = z.object({
  referenzFeld: optionalText(),
  kontoinhaber: optionalText(),
  bic: z.optional(z.string().check(z.regex(/^([A-Z0-9]{11})?$/, 'must be a BIC of 11 capital letters or digits'))),
  iban: z.optional(
    z.string().check(
      z.regex(/^$|^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'must be an IBAN'),
      // Only judges values of the right shape, so a malformed IBAN is reported once (by the pattern).
      z.refine((v) => v === '' || !IBAN_SHAPE.test(v) || ibanChecksumOk(v), 'must be an IBAN with a valid check sum (ISO 13616, mod 97)'),
    ),
  ),
});

const common = {
  vorname: optionalText(),
  nachname: optionalText(),
  name: optionalText(),
  email: z.optional(email),
  kreditsachbearbeiter: z.optional(z.boolean()),
  externePartnerId: optionalText(),
  titelFunktion: optionalText(),
  geburtsdatum: z.optional(geburtsdatum),
  telefonnummer: optionalText(),
  mobilnummer: optionalText(),
  faxnummer: optionalText(),
  firmenname: optionalText(),
  firmennameZusatz: optionalText(),
  webseite: z.optional(webseite),
  anschrift: z.optional(anschrift),
  bankverbindung: z.optional(bankverbindung),
  aufsichtsbehoerde: optionalText(),
  registrierungsnummer: optionalText(),
  gesperrt: z.optional(z.boolean()),
};

const group = <K extends string>(fields: readonly K[]) =>
  z.optional(z.object(Object.fromEntries(fields.map((f) => [f, z.optional(z.boolean())])) as Record<K, z.ZodMiniOptional<z.ZodMiniBoolean>>));

export const rechteBody = z.object({
  partnermanagement: group(['apiClientEinstellungenVornehmen', 'einstellungenOeffnen', 'baufiSmartEinstellungenVornehmen', 'partnerAnlegen']),
  baufismart: group(['baufiSmartNutzen', 'echtgeschaeft', 'vorgaengeUeberOberflaecheAnlegen', 'ergebnisListeNutzen', 'loeschen']),
  kreditsmart: group(['echtgeschaeft', 'kreditSmartSichtbar', 'versicherungAnbieten', 'vorgaengeUeberOberflaecheAnlegen']),
});

/** Create: empty strings are allowed (and ignored), also for the enum; `partnerId` may name a partner to update (205). */
export const createBody = z.object({
  ...common,
  anrede: z.optional(z.union([z.literal(''), anrede])),
  typ: z.optional(z.enum(['PERSON', 'ORGANISATION'], 'typ must be PERSON or ORGANISATION')),
  partnerId: z.optional(z.string()),
  rechte: z.optional(rechteBody),
});

/** PATCH: `typ` and `partnerId` are ignored (stripped); an enum needs a value. */
export const patchBody = z.object({ ...common, anrede: z.optional(anrede) });

export const pageQuery = z.object({
  size: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,2}$/, 'must be a page size from 1 to 500'))),
  after: z.optional(partnerId()),
  before: z.optional(partnerId()),
});

/** `sendEmail` arrives as a query string. */
export const sendEmailQuery = z.object({ sendEmail: z.optional(z.enum(['true', 'false'], 'sendEmail must be true or false')) });

export const zugangBody = z.object({
  benutzername: z.optional(z.email('benutzername must be an e-mail address')),
  identityProviderBenutzername: optionalText(),
  identityProviderConfigURL: z.optional(z.url('identityProviderConfigURL must be a URL')),
});

export const zugangPatchBody = z.object({
  benutzername: z.optional(z.string()),
  identityProviderBenutzername: optionalText(),
});

/**
 * Partnerkennzeichen exactly as the spec's `Partnerkennzeichen` schema names them: a code unknown to
 * the spec is refused (400 naming it) rather than dropped, so a typo never silently loses a code.
 */
const code = () => z.optional(text());
const unknownCode = {
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `not a Partnerkennzeichen of the spec: ${(issue.keys ?? []).join(', ')}` : 'must be an object of Partnerkennzeichen',
};
const codes = <K extends string>(fields: readonly K[]) =>
  z.strictObject(Object.fromEntries(fields.map((f) => [f, code()])) as Record<K, ReturnType<typeof code>>, unknownCode);
export const KENNZEICHEN_TEXT_FIELDS = [
  'dslSapGeschaeftspartnerNummerFuerRatenkredit', 'dslVertriebsWegSchluesselFuerRatenkredit', 'dkbVertriebsIdFuerRatenkredit',
  'lbsNordVermittlerNummer', 'lbsOstVermittlerNummer', 'lbsShhVermittlerNummer', 'lbsSuedwestVermittlerNummer', 'lbsWestVermittlerNummer',
  'devkVermittlerNummer', 'wuestenrotVermittlerNummer', 'allianzVertreterNummer', 'axaGeschaeftsPartnerNummer', 'dslVermittlerGruppenSchluessel',
  'bshVoNummer', 'bshAkquisitionsWeg', 'bshBlzVertriebsbank', 'dzHypVermittlerNummer', 'naevVermittlerNummer', 'rUndvBankAgenturNummer',
  'rUndvBlzVertriebsbank', 'bausparkasseMainzVermittlerNummer', 'deutscherRingVermittlerNummer', 'alteLeipzigerVerbundVermittlerNummer',
  'signalIdunaBetreuerNummer', 'signalIdunaFilialDirektionNummer', 'hanseaticVertriebsPartnerNummer', 'commerzbankVermittlerNummer',
] as const;
export const kennzeichenBody = z.strictObject({
  ...(Object.fromEntries(KENNZEICHEN_TEXT_FIELDS.map((f) => [f, code()])) as Record<(typeof KENNZEICHEN_TEXT_FIELDS)[number], ReturnType<typeof code>>),
  kennzeichenIngDiba: z.optional(codes(['vermittlerNummer', 'vermittlerVorname', 'vermittlerNachname', 'vermittlerNummerFuerRatenkredit'])),
  kennzeichenErgo: z.optional(codes(['maklerBuero', 'bdNummer'])),
  kennzeichenBhw: z.optional(codes(['vgeNummer', 'orgaNummer', 'zurIdentifikationsPruefungLegitimiert'])),
  vertriebsOrganisation: z.optional(codes(['name', 'firma', 'vertriebsOrganisationsId', 'partnerId'])),
}, unknownCode);

/** A licence name as the spec's examples spell them (`europaceOne`, `premiumReporting`). */
export const lizenzParams = z.object({
  partnerId: partnerId(),
  lizenz: z.string().check(z.regex(/^[a-z][A-Za-z0-9]{0,62}$/, 'must be a licence name in lowerCamelCase (letters and digits, at most 63), e.g. europaceOne')),
});
export const lizenzBody = z.object({ aktiv: z.boolean('aktiv must be true or false') });

/** Two partners: the one named first and another one (`…/{target}`). */
export const pairParams = z.object({ partnerId: partnerId(), target: partnerId() });

/** The activation step: the token of the activation mail (43 characters of base64url). */
export const activationBody = z.object({
  activationToken: z.string('activationToken is required').check(z.regex(/^[A-Za-z0-9_-]{20,200}$/, 'activationToken must be the token of the activation mail')),
});
