import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { einstellungsrechtKey, ENTITY } from '../../../shared/partner/keys.js';
import { onboardTenant, tableNames, testDynamo, tokenFor, uniqueTenant } from '../../support/api.js';
import { api, openapi } from './contract.js';
import { PARTNER_SCOPES } from '../../../shared/platform/scopes.js';

/** Builds partner trees through the API for the integration tests. */
export const ALL_SCOPES = [
  PARTNER_SCOPES.anlegen,
  PARTNER_SCOPES.lesen,
  PARTNER_SCOPES.schreiben,
  PARTNER_SCOPES.beziehungenLesen,
  PARTNER_SCOPES.beziehungenSchreiben[0],
  PARTNER_SCOPES.rechteLesen,
  PARTNER_SCOPES.rechteSchreiben,
].join(' ');

export const ALL_RECHTE = {
  partnermanagement: { apiClientEinstellungenVornehmen: true, einstellungenOeffnen: true, baufiSmartEinstellungenVornehmen: true, partnerAnlegen: true },
  baufismart: { baufiSmartNutzen: true, echtgeschaeft: true, vorgaengeUeberOberflaecheAnlegen: true, ergebnisListeNutzen: true, loeschen: true },
  kreditsmart: { echtgeschaeft: true, kreditSmartSichtbar: true, versicherungAnbieten: true, vorgaengeUeberOberflaecheAnlegen: true },
};

export const partnerToken = (tenant: string, partnerId: string, scope: string | undefined = ALL_SCOPES) =>
  tokenFor({ principal: 'partner', tenant, partner: partnerId, sub: `user-${partnerId}`, client: 'app-1', ...(scope ? { scope } : {}) });

export interface Tenant {
  tenant: string;
  root: string;
  admin: string;
  adminToken: string;
}

export async function newTenant(prefix = 'partner'): Promise<Tenant> {
  await openapi();
  const tenant = uniqueTenant(prefix);
  const { rootPartnerId, administratorPartnerId } = await onboardTenant(tenant);
  return { tenant, root: rootPartnerId, admin: administratorPartnerId, adminToken: await partnerToken(tenant, administratorPartnerId) };
}

/** Creates a partner below `parent` and answers its id (fails the test on anything but 201). */
export async function createPartner(token: string, parent: string, body: Record<string, unknown>): Promise<string> {
  const response = await api('POST', `/v2/partner/${parent}/untergeordnete`, { token, body });
  if (response.status !== 201) throw new Error(`create below ${parent} answered ${response.status}: ${response.text}`);
  return response.body.partnerId as string;
}

export const person = (vorname: string, extra: Record<string, unknown> = {}) => ({ typ: 'PERSON', vorname, nachname: 'Test', ...extra });
export const organisation = (name: string, extra: Record<string, unknown> = {}) => ({ typ: 'ORGANISATION', name, ...extra });

/**
 * An explicit Einstellungsrecht of `holder` on `target`, stored directly (for worlds that need one
 * without a partner managing both). Over the API: `PUT /v2/partner/{holder}/einstellungsrechtFuer/{target}`
 * (write-side.test.ts).
 */
export async function grantEinstellungsrecht(tenant: string, holder: string, target: string): Promise<void> {
  await testDynamo().send(
    new PutCommand({
      TableName: tableNames.data,
      Item: { ...einstellungsrechtKey(tenant, holder, target), entityType: ENTITY.einstellungsrecht, tenant, holder, target, grantedAt: new Date().toISOString() },
    }),
  );
}
