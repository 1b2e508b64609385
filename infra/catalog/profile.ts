import type { PrincipalKind } from '../../shared/platform/principal.js';
import { CONSENT_MANAGE, CONSENT_VIEW, DATA_READ, DATA_SHARE, DATA_WRITE } from '../../shared/platform/scopes.js';
import { type RoutePolicy, routeBuilder } from './route.js';
import type { Access, RouteDefinition, RuleDefinition } from './types.js';

/**
 * Profile data and sharing (issue 6), base `/profile/v1`: the guest's profile, partner data, shares
 * and imports, and the guest's view of everything (export, access, relations, erasure).
 * Scopes are "any of" (API Gateway JWT authorizer semantics); handlers check them again.
 */
const route = routeBuilder({ base: '/profile/v1', functions: 'profile' });

/**
 * Every route reads the data table, the key table (wrapped keys) and KMS-decrypts a reference's data
 * key; reads write too, because the first signed-in call through a partner's app records the relation.
 */
const writes: readonly Access[] = ['table:read', 'table:write', 'keys:read', 'kms:decrypt'];

/** `/me`, data (partner data and every other type), shares and imports belong to a signed-in guest. */
const GUEST: readonly PrincipalKind[] = ['guest'];
const guest = (scopes: readonly string[], access: readonly Access[] = writes): RoutePolicy => ({ scopes, callers: GUEST, access });
/**
 * Reads that span every partner (export, access overview, purges): a guest on the platform's own pages only (no
 * `partner_id`, decision 0501); the route policy refuses a partner app's guest token, 403 `PlatformPagesOnly` (decision 0127).
 */
const platformPages = (scopes: readonly string[], access: readonly Access[] = writes): RoutePolicy => ({ ...guest(scopes, access), guestVia: 'platform-pages' });
/** Tenant configuration (`tenants/{tenant}/…`) belongs to the tenant's administrator. */
const tenant = (scopes: readonly string[], access: readonly Access[]): RoutePolicy => ({ scopes, callers: ['tenant'], access });

export const profileRoutes: readonly RouteDefinition[] = [
  route('GetMyProfile', 'GET', '/me', 'get-me', guest([DATA_READ])),
  route('PutMyProfile', 'PUT', '/me', 'put-me', guest([DATA_WRITE])),
  route('ExportMyProfile', 'GET', '/me/export', 'export-me', platformPages([DATA_READ])),
  route('GetMyAccess', 'GET', '/me/access', 'get-access', platformPages([DATA_READ])),
  route('EndMyRelation', 'DELETE', '/me/relations/{partnerId}', 'end-relation', guest([DATA_WRITE])),
  // The guest's own forms of the app's withdrawal and deletion (decision 0307): whichever app made the share or
  // imported the copy, found by the share's identifier, then the same domain write as the app's route.
  route('WithdrawMyShare', 'DELETE', '/me/shares/{sharingIdentifier}', 'withdraw-my-share', guest([DATA_SHARE])),
  route('DeleteMyImportedCopies', 'DELETE', '/me/imports/{sharingIdentifier}', 'delete-my-copies', guest([DATA_WRITE])),
  // Which partners were told to delete the guest's data (purges, docs/crm.md) and which confirmed.
  route('ListMyPurges', 'GET', '/me/purges', 'list-my-purges', platformPages([DATA_READ], ['table:read'])),
  route('EraseMyProfile', 'DELETE', '/me', 'erase-me', guest([DATA_WRITE], [...writes, 'keys:write'])),
  route('ListPartnerData', 'GET', '/partnerdata', 'list-partner-data', guest([DATA_READ])),
  route('GetPartnerData', 'GET', '/partnerdata/{name}', 'get-partner-data', guest([DATA_READ])),
  route('PutPartnerData', 'PUT', '/partnerdata/{name}', 'put-partner-data', guest([DATA_WRITE])),
  route('DeletePartnerData', 'DELETE', '/partnerdata/{name}', 'delete-partner-data', guest([DATA_WRITE])),
  // Every other user-owned entity type of the tenant's metamodel (decision 0304): the same handlers, the type from the
  // path (`/partnerdata/…` is `/data/PartnerData/…`). No share or import routes: sharing is of partner data only.
  route('ListData', 'GET', '/data/{entityType}', 'list-partner-data', guest([DATA_READ])),
  route('GetData', 'GET', '/data/{entityType}/{name}', 'get-partner-data', guest([DATA_READ])),
  route('PutData', 'PUT', '/data/{entityType}/{name}', 'put-partner-data', guest([DATA_WRITE])),
  route('DeleteData', 'DELETE', '/data/{entityType}/{name}', 'delete-partner-data', guest([DATA_WRITE])),
  route('SharePartnerData', 'PUT', '/partnerdata/{name}/share', 'share-partner-data', guest([DATA_SHARE])),
  route('WithdrawPartnerDataShare', 'DELETE', '/partnerdata/{name}/share', 'withdraw-share', guest([DATA_SHARE])),
  route('ImportSharedPartnerData', 'PUT', '/import/{sharingIdentifier}', 'import-share', guest([DATA_SHARE])),
  route('ListShares', 'GET', '/shares', 'list-shares', guest([DATA_SHARE, DATA_READ])),
  // Tenant configuration (principal `tenant`): under `tenants/` so no guest path (e.g. a partner-data name) can match it.
  route('GetProfileSettings', 'GET', '/tenants/{tenant}/settings', 'get-settings', tenant([CONSENT_VIEW, CONSENT_MANAGE], ['table:read'])),
  route('PutProfileSettings', 'PUT', '/tenants/{tenant}/settings', 'put-settings', tenant([CONSENT_MANAGE], ['table:read', 'table:write'])),
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
