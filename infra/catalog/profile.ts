import type { Access, RouteDefinition, RuleDefinition } from './types.js';

/**
 * Profile data and sharing (issue 6), base `/profile/v1`: the guest's profile, partner data, shares
 * and imports, and the guest's view of everything (export, access, relations, erasure).
 * Scopes are "any of" (API Gateway JWT authorizer semantics); handlers check them again.
 */
const READ = 'profile_data_read';
const WRITE = 'profile_data_write';
const SHARE = 'profile_data_share';
const CONSENT_VIEW = 'profile_consent_view';
const CONSENT_MANAGE = 'profile_consent_manage';

/**
 * Every route reads the data table, the key table (wrapped keys) and KMS-decrypts a reference's data
 * key; reads write too, because the first signed-in call through a partner's app records the relation.
 */
const writes: readonly Access[] = ['table:read', 'table:write', 'keys:read', 'kms:decrypt'];

const route = (id: string, method: RouteDefinition['method'], path: string, file: string, scopes: string[], access: readonly Access[]): RouteDefinition => ({
  id,
  method,
  path: `/profile/v1${path}`,
  handler: `functions/profile/${file}.ts`,
  scopes,
  // `/me`, data (partner data and every other type), shares and imports belong to a signed-in guest; `tenants/{tenant}/…` to its administrator.
  callers: path.startsWith('/tenants/') ? ['tenant'] : ['guest'],
  access,
});

export const profileRoutes: readonly RouteDefinition[] = [
  route('GetMyProfile', 'GET', '/me', 'get-me', [READ], writes),
  route('PutMyProfile', 'PUT', '/me', 'put-me', [WRITE], writes),
  route('ExportMyProfile', 'GET', '/me/export', 'export-me', [READ], writes),
  route('GetMyAccess', 'GET', '/me/access', 'get-access', [READ], writes),
  route('EndMyRelation', 'DELETE', '/me/relations/{partnerId}', 'end-relation', [WRITE], writes),
  route('EraseMyProfile', 'DELETE', '/me', 'erase-me', [WRITE], [...writes, 'keys:write']),
  route('ListPartnerData', 'GET', '/partnerdata', 'list-partner-data', [READ], writes),
  route('GetPartnerData', 'GET', '/partnerdata/{name}', 'get-partner-data', [READ], writes),
  route('PutPartnerData', 'PUT', '/partnerdata/{name}', 'put-partner-data', [WRITE], writes),
  route('DeletePartnerData', 'DELETE', '/partnerdata/{name}', 'delete-partner-data', [WRITE], writes),
  // Every other user-owned entity type of the tenant's metamodel (decision 0304): the same handlers, the type from the
  // path (`/partnerdata/…` is `/data/PartnerData/…`). No share or import routes: sharing is of partner data only.
  route('ListData', 'GET', '/data/{entityType}', 'list-partner-data', [READ], writes),
  route('GetData', 'GET', '/data/{entityType}/{name}', 'get-partner-data', [READ], writes),
  route('PutData', 'PUT', '/data/{entityType}/{name}', 'put-partner-data', [WRITE], writes),
  route('DeleteData', 'DELETE', '/data/{entityType}/{name}', 'delete-partner-data', [WRITE], writes),
  route('SharePartnerData', 'PUT', '/partnerdata/{name}/share', 'share-partner-data', [SHARE], writes),
  route('WithdrawPartnerDataShare', 'DELETE', '/partnerdata/{name}/share', 'withdraw-share', [SHARE], writes),
  route('ImportSharedPartnerData', 'PUT', '/import/{sharingIdentifier}', 'import-share', [SHARE], writes),
  route('ListShares', 'GET', '/shares', 'list-shares', [SHARE, READ], writes),
  // Tenant configuration (principal `tenant`): under `tenants/` so no guest path (e.g. a partner-data name) can match it.
  route('GetProfileSettings', 'GET', '/tenants/{tenant}/settings', 'get-settings', [CONSENT_VIEW, CONSENT_MANAGE], ['table:read']),
  route('PutProfileSettings', 'PUT', '/tenants/{tenant}/settings', 'put-settings', [CONSENT_MANAGE], ['table:read', 'table:write']),
];

export const profileRules: readonly RuleDefinition[] = [
  {
    id: 'EraseProfileDataOfDeletedReference',
    description: 'Erases the profile data (items, their shares and import pointers) sealed under a consent reference deleted through the consent API.',
    pattern: { source: ['mydata.consent'], 'detail-type': ['ConsentReferenceDeleted'] },
    handler: 'functions/profile/on-consent-reference-deleted.ts',
    access: ['table:read', 'table:write'],
  },
];
