import type { PrincipalKind } from '../../shared/platform/principal.js';
import { CRM_READ } from '../../shared/platform/scopes.js';
import { type RoutePolicy, routeBuilder } from './route.js';
import type { Access, RouteDefinition, RuleDefinition } from './types.js';

/**
 * The partner's CRM (issue 13, docs/crm.md), base `/profile/v1/crm`: the pull API and purges for a partner
 * token (principal `partner`, `profile_crm_read`, the partner is the token's `partner_id`) — the seed's one
 * exception to "a guest's data needs the guest's token". And the audience: the consumers that turn domain
 * events into one `PartnerNotice` per entitled partner (decision 0411).
 */
const route = routeBuilder({ base: '/profile/v1/crm', functions: 'crm' });

const PARTNER: readonly PrincipalKind[] = ['partner'];
const partner = (access: readonly Access[]): RoutePolicy => ({ scopes: [CRM_READ], callers: PARTNER, access });

// Every route writes one item: the partner's request counter of the minute (decision 0404).
export const crmRoutes: readonly RouteDefinition[] = [
  route('ListCrmGuests', 'GET', '/guests', 'list-guests', partner(['table:read', 'table:write'])),
  route('ListCrmChanges', 'GET', '/changes', 'list-changes', partner(['table:read', 'table:write'])),
  // Decrypts: the consent rows and wrapped keys of the guest's (reference, type), the data key through KMS.
  route('GetCrmGuestData', 'GET', '/guests/{guest}/data/{entityType}', 'get-guest-data', partner(['table:read', 'table:write', 'keys:read', 'kms:decrypt'])),
  route('GetCrmGuestItem', 'GET', '/guests/{guest}/data/{entityType}/{itemId}', 'get-guest-item', partner(['table:read', 'table:write', 'keys:read', 'kms:decrypt'])),
  route('ListCrmPurges', 'GET', '/purges', 'list-purges', partner(['table:read', 'table:write'])),
  // The subscription secrets the signature is checked against live in the key table (shared/notifications).
  route('AcknowledgeCrmPurge', 'POST', '/purges/{purgeId}/acknowledgement', 'acknowledge-purge', partner(['table:read', 'table:write', 'keys:read'])),
];

const audience = (id: string, source: string, detailType: string, file: string, description: string): RuleDefinition => ({
  id,
  description,
  pattern: { source: [source], 'detail-type': [detailType] },
  handler: `functions/crm/${file}.ts`,
  access: ['table:read', 'table:write'],
});

export const crmRules: readonly RuleDefinition[] = [
  audience('NoticePartnersOfDataChange', 'mydata.profile', 'PartnerDataChanged', 'on-data-changed', 'Tells the partners entitled to an object (its creator, every related partner for a shared type) that it was created, changed or deleted.'),
  audience('NoticePartnersOfProfileChange', 'mydata.profile', 'ProfileChanged', 'on-profile-changed', "Tells the partners entitled to the guest's own profile (Person: every related partner by default) that it changed."),
  audience('NoticePartnersOfImport', 'mydata.profile', 'PartnerDataImported', 'on-data-imported', 'Tells the importing partner (and related partners of a shared type) about an imported copy.'),
  audience('NoticePartnerOfRelationEnd', 'mydata.profile', 'RelationEnded', 'on-relation-ended', 'Tells the partner whose relation ended and records its purge.'),
  audience('NoticePartnersOfErasure', 'mydata.profile', 'ProfileErased', 'on-profile-erased', "Tells every partner that held the guest's data about the erasure and records their purges."),
  audience('NoticePartnersOfRevoke', 'mydata.consent', 'ConsentRevoked', 'on-consent-revoked', 'Tells the partners that could see a revoked type and records their purges.'),
  audience('ContinuePartnerNotices', 'mydata.profile', 'PartnerNoticesContinued', 'on-notices-continued', "Notices for the next page of a guest's relations (decision 0208)."),
];
