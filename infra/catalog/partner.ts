import { PARTNER_SCOPES } from '../../shared/platform/scopes.js';
import { type RoutePolicy, routeBuilder } from './route.js';
import type { Access, RouteDefinition, RuleDefinition } from './types.js';

/**
 * The Europace Partner API v2 (all 17 operations of the spec) plus what its users ask for beyond it
 * (`pfad`, moving a partner). Scopes are the spec's security requirements ("any of", as the JWT
 * authorizer reads them); kontaktdaten and PATCH zugang name none in the spec, so any valid token
 * passes the gateway and the handler decides. Every path also answers with a trailing slash.
 * No trailing-slash variants: API Gateway refuses such route keys and routes `/a/` to `/a` itself.
 */
const route = routeBuilder({ base: '/v2', functions: 'partner' });

const read: readonly Access[] = ['table:read'];
const write: readonly Access[] = ['table:read', 'table:write'];
/** The partner API is for partner tokens only (`shared/partner/caller.ts` says the same). */
const partner = (scopes: readonly string[], access: readonly Access[]): RoutePolicy => ({ scopes, callers: ['partner'], access });

export const partnerRoutes: readonly RouteDefinition[] = [
  route('SearchPartners', 'GET', '/partners', 'search-partners', partner([PARTNER_SCOPES.lesen], read)),
  route('GetPartner', 'GET', '/partner/{partnerId}', 'get-partner', partner([PARTNER_SCOPES.lesen], read)),
  route('PatchPartner', 'PATCH', '/partner/{partnerId}', 'patch-partner', partner([PARTNER_SCOPES.schreiben], write)),
  route('GetKontaktdaten', 'GET', '/partner/{partnerId}/kontaktdaten', 'get-kontaktdaten', partner([], read)),
  route('GetRechte', 'GET', '/partner/{partnerId}/rechte', 'get-rechte', partner([PARTNER_SCOPES.rechteLesen], read)),
  route('PatchRechte', 'PATCH', '/partner/{partnerId}/rechte', 'set-rechte', partner([PARTNER_SCOPES.rechteSchreiben], write)),
  // The guide sets rights with POST; the spec with PATCH. Both are accepted.
  route('PostRechte', 'POST', '/partner/{partnerId}/rechte', 'set-rechte', partner([PARTNER_SCOPES.rechteSchreiben], write)),
  route('CreatePartner', 'POST', '/partner/{partnerId}/untergeordnete', 'create-partner', partner([PARTNER_SCOPES.anlegen], write)),
  route('ListUntergeordnete', 'GET', '/partner/{partnerId}/untergeordnete', 'list-untergeordnete', partner([PARTNER_SCOPES.lesen], read)),
  route('GetPartnerkennzeichen', 'GET', '/partner/{partnerId}/partnerkennzeichen', 'get-partnerkennzeichen', partner([PARTNER_SCOPES.lesen], read)),
  route('GetAdministrierbare', 'GET', '/partner/{partnerId}/administrierbare', 'get-administrierbare', partner([PARTNER_SCOPES.beziehungenLesen], read)),
  route('GetUebernehmbare', 'GET', '/partner/{partnerId}/uebernehmbare', 'get-uebernehmbare', partner([PARTNER_SCOPES.beziehungenLesen], read)),
  route('GetLizenzen', 'GET', '/partner/{partnerId}/lizenzen', 'get-lizenzen', partner([PARTNER_SCOPES.rechteLesen], read)),
  route('GetUebernahmeRecht', 'GET', '/partner/{partnerId}/uebernahmeRechtFuer/{target}', 'get-uebernahmerecht', partner([PARTNER_SCOPES.beziehungenLesen], read)),
  route('SetUebernahmeRecht', 'POST', '/partner/{partnerId}/uebernahmeRechtFuer/{target}', 'set-uebernahmerecht', partner([...PARTNER_SCOPES.beziehungenSchreiben], write)),
  route('GetZugang', 'GET', '/partner/{partnerId}/zugang', 'get-zugang', partner([PARTNER_SCOPES.lesen], read)),
  route('CreateZugang', 'POST', '/partner/{partnerId}/zugang', 'create-zugang', partner([PARTNER_SCOPES.schreiben], write)),
  route('PatchZugang', 'PATCH', '/partner/{partnerId}/zugang', 'patch-zugang', partner([], write)),
  // Beyond the spec.
  route('GetPartnerPfad', 'GET', '/partner/{partnerId}/pfad', 'get-pfad', partner([PARTNER_SCOPES.lesen], read)),
  route('MovePartner', 'PUT', '/partner/{partnerId}/parent', 'move-partner', partner([PARTNER_SCOPES.schreiben], write)),
  // The write side of what the spec only reads (issue 10, docs/partner.md, decision 0103).
  route('SetEinstellungsrecht', 'PUT', '/partner/{partnerId}/einstellungsrechtFuer/{target}', 'set-einstellungsrecht', partner([...PARTNER_SCOPES.beziehungenSchreiben], write)),
  route('RevokeEinstellungsrecht', 'DELETE', '/partner/{partnerId}/einstellungsrechtFuer/{target}', 'revoke-einstellungsrecht', partner([...PARTNER_SCOPES.beziehungenSchreiben], write)),
  route('ListHandelsbeziehungen', 'GET', '/partner/{partnerId}/handelsbeziehungen', 'get-handelsbeziehungen', partner([PARTNER_SCOPES.beziehungenLesen], read)),
  route('AddHandelsbeziehung', 'PUT', '/partner/{partnerId}/handelsbeziehungen/{target}', 'set-handelsbeziehung', partner([...PARTNER_SCOPES.beziehungenSchreiben], write)),
  route('RemoveHandelsbeziehung', 'DELETE', '/partner/{partnerId}/handelsbeziehungen/{target}', 'remove-handelsbeziehung', partner([...PARTNER_SCOPES.beziehungenSchreiben], write)),
  route('SetPartnerkennzeichen', 'PUT', '/partner/{partnerId}/partnerkennzeichen', 'set-partnerkennzeichen', partner([PARTNER_SCOPES.schreiben], write)),
  route('ActivateZugang', 'POST', '/partner/{partnerId}/zugang/aktivierung', 'activate-zugang', partner([], write)),
  route('SetLizenz', 'PUT', '/partner/{partnerId}/lizenzen/{lizenz}', 'set-lizenz', partner([PARTNER_SCOPES.rechteSchreiben], write)),
];

/** The partner context consumes no events (yet); its events go out through the outbox. */
export const partnerRules: readonly RuleDefinition[] = [
  {
    id: 'RewritePartnerPaths',
    description: 'Rewrites the stored ancestor paths below a moved partner, one bounded page per event, and hands the rest on (decision 0208).',
    pattern: { source: ['mydata.partner'], 'detail-type': ['PartnerPathRewriteContinued'] },
    handler: 'functions/partner/on-path-rewrite-continued.ts',
    access: ['table:read', 'table:write'],
  },
];
