import * as z from 'zod/mini';
import type { ResponsesByRoute } from '../types.js';
import { consentClass } from './consent.js';

/** What the operator's routes answer (functions/admin, shared/admin, shared/partner/administrator-service.ts). */
const onboarded = z.object({ tenant: z.string(), rootPartnerId: z.string(), administratorPartnerId: z.string() });

const flags = <K extends string>(names: readonly K[]) => z.object(Object.fromEntries(names.map((n) => [n, z.boolean()])) as Record<K, z.ZodMiniBoolean>);
/** Every right of the Europace `Rechte` schema, all set (the administrator holds each after a restore). */
export const fullRechte = z.object({
  partnermanagement: flags(['apiClientEinstellungenVornehmen', 'einstellungenOeffnen', 'baufiSmartEinstellungenVornehmen', 'partnerAnlegen']),
  baufismart: flags(['baufiSmartNutzen', 'echtgeschaeft', 'vorgaengeUeberOberflaecheAnlegen', 'ergebnisListeNutzen', 'loeschen']),
  kreditsmart: flags(['echtgeschaeft', 'kreditSmartSichtbar', 'versicherungAnbieten', 'vorgaengeUeberOberflaecheAnlegen']),
});
const restored = z.object({ partnerId: z.string(), rootPartnerId: z.string(), rechte: fullRechte, gesperrt: z.literal(false) });

export const adminResponses: ResponsesByRoute = {
  PutConsentClass: {
    200: { description: 'The class was changed.', body: consentClass },
    201: { description: 'The class was added to the dictionary.', body: consentClass },
  },
  PutTenant: {
    200: { description: 'The tenant exists already: the same ids as at its onboarding.', body: onboarded },
    201: { description: 'The tenant is onboarded: its root partner and administrator.', body: onboarded },
  },
  RestoreTenantAdministrator: {
    200: { description: 'What the administrator holds now: every right, unlocked, Einstellungsrecht on the root.', body: restored },
    404: 'The tenant or its administrator does not exist.',
    409: { description: 'A concurrent change; retry.', headers: { 'Retry-After': 'Seconds to wait before retrying.' } },
  },
};
