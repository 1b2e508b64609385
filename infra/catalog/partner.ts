import { SCOPES } from '../../shared/partner/scopes.js';
import type { Access, HttpMethod, RouteDefinition, RuleDefinition } from './types.js';

/**
 * The Europace Partner API v2 (all 17 operations of the spec) plus what its users ask for beyond it
 * (`pfad`, moving a partner). Scopes are the spec's security requirements ("any of", as the JWT
 * authorizer reads them); kontaktdaten and PATCH zugang name none in the spec, so any valid token
 * passes the gateway and the handler decides. Every path also answers with a trailing slash.
 */
const read: readonly Access[] = ['table:read'];
const write: readonly Access[] = ['table:read', 'table:write'];

interface Operation {
  readonly id: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly file: string;
  readonly scopes: readonly string[];
  readonly access: readonly Access[];
}

const operations: readonly Operation[] = [
  { id: 'SearchPartners', method: 'GET', path: '/v2/partners', file: 'search-partners', scopes: [SCOPES.lesen], access: read },
  { id: 'GetPartner', method: 'GET', path: '/v2/partner/{partnerId}', file: 'get-partner', scopes: [SCOPES.lesen], access: read },
  { id: 'PatchPartner', method: 'PATCH', path: '/v2/partner/{partnerId}', file: 'patch-partner', scopes: [SCOPES.schreiben], access: write },
  { id: 'GetKontaktdaten', method: 'GET', path: '/v2/partner/{partnerId}/kontaktdaten', file: 'get-kontaktdaten', scopes: [], access: read },
  { id: 'GetRechte', method: 'GET', path: '/v2/partner/{partnerId}/rechte', file: 'get-rechte', scopes: [SCOPES.rechteLesen], access: read },
  { id: 'PatchRechte', method: 'PATCH', path: '/v2/partner/{partnerId}/rechte', file: 'set-rechte', scopes: [SCOPES.rechteSchreiben], access: write },
  // The guide sets rights with POST; the spec with PATCH. Both are accepted.
  { id: 'PostRechte', method: 'POST', path: '/v2/partner/{partnerId}/rechte', file: 'set-rechte', scopes: [SCOPES.rechteSchreiben], access: write },
  { id: 'CreatePartner', method: 'POST', path: '/v2/partner/{partnerId}/untergeordnete', file: 'create-partner', scopes: [SCOPES.anlegen], access: write },
  { id: 'ListUntergeordnete', method: 'GET', path: '/v2/partner/{partnerId}/untergeordnete', file: 'list-untergeordnete', scopes: [SCOPES.lesen], access: read },
  { id: 'GetPartnerkennzeichen', method: 'GET', path: '/v2/partner/{partnerId}/partnerkennzeichen', file: 'get-partnerkennzeichen', scopes: [SCOPES.lesen], access: read },
  { id: 'GetAdministrierbare', method: 'GET', path: '/v2/partner/{partnerId}/administrierbare', file: 'get-administrierbare', scopes: [SCOPES.beziehungenLesen], access: read },
  { id: 'GetUebernehmbare', method: 'GET', path: '/v2/partner/{partnerId}/uebernehmbare', file: 'get-uebernehmbare', scopes: [SCOPES.beziehungenLesen], access: read },
  { id: 'GetLizenzen', method: 'GET', path: '/v2/partner/{partnerId}/lizenzen', file: 'get-lizenzen', scopes: [SCOPES.rechteLesen], access: read },
  { id: 'GetUebernahmeRecht', method: 'GET', path: '/v2/partner/{partnerId}/uebernahmeRechtFuer/{target}', file: 'get-uebernahmerecht', scopes: [SCOPES.beziehungenLesen], access: read },
  { id: 'SetUebernahmeRecht', method: 'POST', path: '/v2/partner/{partnerId}/uebernahmeRechtFuer/{target}', file: 'set-uebernahmerecht', scopes: [...SCOPES.beziehungenSchreiben], access: write },
  { id: 'GetZugang', method: 'GET', path: '/v2/partner/{partnerId}/zugang', file: 'get-zugang', scopes: [SCOPES.lesen], access: read },
  { id: 'CreateZugang', method: 'POST', path: '/v2/partner/{partnerId}/zugang', file: 'create-zugang', scopes: [SCOPES.schreiben], access: write },
  { id: 'PatchZugang', method: 'PATCH', path: '/v2/partner/{partnerId}/zugang', file: 'patch-zugang', scopes: [], access: write },
  // Beyond the spec.
  { id: 'GetPartnerPfad', method: 'GET', path: '/v2/partner/{partnerId}/pfad', file: 'get-pfad', scopes: [SCOPES.lesen], access: read },
  { id: 'MovePartner', method: 'PUT', path: '/v2/partner/{partnerId}/parent', file: 'move-partner', scopes: [SCOPES.schreiben], access: write },
  // The write side of what the spec only reads (issue 10, docs/partner.md, decision 0103).
  { id: 'SetEinstellungsrecht', method: 'PUT', path: '/v2/partner/{partnerId}/einstellungsrechtFuer/{target}', file: 'set-einstellungsrecht', scopes: [...SCOPES.beziehungenSchreiben], access: write },
  { id: 'RevokeEinstellungsrecht', method: 'DELETE', path: '/v2/partner/{partnerId}/einstellungsrechtFuer/{target}', file: 'revoke-einstellungsrecht', scopes: [...SCOPES.beziehungenSchreiben], access: write },
  { id: 'ListHandelsbeziehungen', method: 'GET', path: '/v2/partner/{partnerId}/handelsbeziehungen', file: 'get-handelsbeziehungen', scopes: [SCOPES.beziehungenLesen], access: read },
  { id: 'AddHandelsbeziehung', method: 'PUT', path: '/v2/partner/{partnerId}/handelsbeziehungen/{target}', file: 'set-handelsbeziehung', scopes: [...SCOPES.beziehungenSchreiben], access: write },
  { id: 'RemoveHandelsbeziehung', method: 'DELETE', path: '/v2/partner/{partnerId}/handelsbeziehungen/{target}', file: 'remove-handelsbeziehung', scopes: [...SCOPES.beziehungenSchreiben], access: write },
  { id: 'SetPartnerkennzeichen', method: 'PUT', path: '/v2/partner/{partnerId}/partnerkennzeichen', file: 'set-partnerkennzeichen', scopes: [SCOPES.schreiben], access: write },
  { id: 'ActivateZugang', method: 'POST', path: '/v2/partner/{partnerId}/zugang/aktivierung', file: 'activate-zugang', scopes: [], access: write },
  { id: 'SetLizenz', method: 'PUT', path: '/v2/partner/{partnerId}/lizenzen/{lizenz}', file: 'set-lizenz', scopes: [SCOPES.rechteSchreiben], access: write },
];

const route = (op: Operation, path: string, id: string): RouteDefinition => ({
  id,
  method: op.method,
  path,
  handler: `functions/partner/${op.file}.ts`,
  scopes: op.scopes,
  // The partner API is for partner tokens only (`shared/partner/caller.ts` says the same).
  callers: ['partner'],
  access: op.access,
});

/** No trailing-slash variants: API Gateway refuses such route keys and routes `/a/` to `/a` itself. */
export const partnerRoutes: readonly RouteDefinition[] = operations.map((op) => route(op, op.path, op.id));

/** The partner context consumes no events (yet); its events go out through the outbox. */
export const partnerRules: readonly RuleDefinition[] = [];
