import { describe, expect, it } from '@jest/globals';
import { type Caller, actingUser, authorize, hashReferenceToken, requireConsentCaller, requireDelete, requireManage, requireTenantAdmin, requireView } from '../../../shared/consent/access.js';
import { GENESIS_HASH, type ReferenceItem } from '../../../shared/consent/model.js';
import type { Principal, PrincipalKind } from '../../../shared/platform/principal.js';
import { CONSENT_MANAGE, CONSENT_VIEW } from '../../../shared/platform/scopes.js';

const VIEW = CONSENT_VIEW;
const MANAGE = CONSENT_MANAGE;

const principal = (kind: PrincipalKind, sub: string, scopes: string[], tenant = 'shop'): Principal => ({
  kind, sub, tenant: kind === 'system' ? undefined : tenant, scopes: new Set(scopes),
});
const caller = (p: Principal, extra: Partial<Caller> = {}): Caller => ({ principal: p, ...extra });

const reference = (fields: Partial<ReferenceItem>): ReferenceItem => ({
  tenant: 'shop', ref: 'r-1', kind: 'user', status: 'active', blocked: false,
  createdAt: '', updatedAt: '', historySeq: 0, historyHash: GENESIS_HASH, ...fields,
});
const TOKEN = 'secret-token-of-r-anon';
const own = reference({ ref: 'r-own', user: 'g-1' });
const anon = reference({ ref: 'r-anon', kind: 'anonymous', tokenHash: hashReferenceToken(TOKEN) });
const tenantRef = reference({ ref: 'TENANT', kind: 'tenant' });
const target = (r: ReferenceItem) => ({ addressed: r, leader: r });
const code = (fn: () => void) => {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    return (error as Error).name;
  }
};

describe('who may see and manage a consent reference', () => {
  const guest = caller(principal('guest', 'g-1', [VIEW, MANAGE]));
  const otherGuest = caller(principal('guest', 'g-2', [VIEW, MANAGE]));
  const admin = caller(principal('tenant', 'admin', [VIEW, MANAGE]));
  const viewer = caller(principal('tenant', 'viewer', [VIEW]));

  it('a guest sees and manages their own reference, and not another guest\'s (404, not 403)', () => {
    expect(code(() => requireManage(guest, target(own)))).toBe('allowed');
    expect(code(() => requireView(otherGuest, target(own)))).toBe('ConsentReferenceNotFound');
    expect(code(() => requireManage(otherGuest, target(own)))).toBe('ConsentReferenceNotFound');
  });

  it('a guest with view scope only may look but not change', () => {
    const looker = caller(principal('guest', 'g-1', [VIEW]));
    expect(code(() => requireView(looker, target(own)))).toBe('allowed');
    expect(code(() => requireManage(looker, target(own)))).toBe('MissingScope');
  });

  it('an anonymous guest manages exactly the reference whose token they hold', () => {
    const holder = caller(principal('anonymous', 'a-1', [VIEW]), { referenceToken: TOKEN });
    expect(code(() => requireManage(holder, target(anon)))).toBe('allowed');
    expect(code(() => requireManage(holder, target(own)))).toBe('ConsentReferenceNotFound');
    const guesser = caller(principal('anonymous', 'a-2', [VIEW]), { referenceToken: 'wrong' });
    expect(code(() => requireView(guesser, target(anon)))).toBe('ConsentReferenceNotFound');
  });

  it('an anonymous token never manages through a manage scope it should not carry', () => {
    const forged = caller(principal('anonymous', 'a-1', [VIEW, MANAGE]));
    expect(code(() => requireManage(forged, target(anon)))).toBe('ConsentReferenceNotFound');
  });

  it('the token also works through an alias of the reference it belongs to', () => {
    const holder = caller(principal('anonymous', 'a-1', [VIEW]), { referenceToken: TOKEN });
    const alias = reference({ ref: 'r-anon', leader: 'r-lead', tokenHash: anon.tokenHash });
    const leader = reference({ ref: 'r-lead', aliases: ['r-anon'] });
    expect(code(() => requireManage(holder, { addressed: alias, leader }))).toBe('allowed');
  });

  it('a tenant administrator reads every reference of its tenant but changes user consents only acting for the user', () => {
    expect(code(() => requireView(viewer, target(own)))).toBe('allowed');
    expect(code(() => requireManage(admin, target(own)))).toBe('MissingScope');
    const backend = caller(principal('tenant', 'admin', [VIEW, MANAGE]), { hybrisUser: 'g-1' });
    expect(code(() => requireManage(backend, target(own)))).toBe('allowed');
    expect(code(() => requireDelete(admin, target(own)))).toBe('allowed');
  });

  it('through an alias only its own owner, token holder or the tenant may delete (it deletes only the alias)', () => {
    const leader = reference({ ref: 'r-lead', user: 'g-1', aliases: ['r-alias', 'r-anon-alias'] });
    const alias = reference({ ref: 'r-alias', user: 'g-3', leader: 'r-lead' });
    const anonAlias = reference({ ref: 'r-anon-alias', kind: 'anonymous', leader: 'r-lead', tokenHash: hashReferenceToken(TOKEN) });
    const aliasOwner = caller(principal('guest', 'g-3', [VIEW, MANAGE]));
    expect(code(() => requireDelete(aliasOwner, { addressed: alias, leader }))).toBe('allowed');
    expect(code(() => requireDelete(aliasOwner, target(leader)))).toBe('ConsentReferenceNotFound');
    expect(code(() => requireDelete(guest, { addressed: alias, leader }))).toBe('NotReferenceOwner');
    expect(code(() => requireDelete(guest, target(leader)))).toBe('allowed');
    const holder = caller(principal('anonymous', 'a-1', [VIEW]), { referenceToken: TOKEN });
    expect(code(() => requireDelete(holder, { addressed: anonAlias, leader }))).toBe('allowed');
    expect(code(() => requireDelete(holder, { addressed: alias, leader }))).toBe('ConsentReferenceNotFound');
    expect(code(() => requireDelete(admin, { addressed: alias, leader }))).toBe('allowed');
  });

  it('only the tenant administrator with manage scope changes TENANT consents', () => {
    expect(code(() => requireManage(admin, target(tenantRef)))).toBe('allowed');
    expect(code(() => requireManage(viewer, target(tenantRef)))).toBe('TenantConsentsOnly');
    expect(code(() => requireManage(guest, target(tenantRef)))).toBe('ConsentReferenceNotFound');
  });

  it('the reference token raises only an anonymous guest to manage; a signed-in caller still needs the manage scope', () => {
    const viewingHolder = caller(principal('guest', 'g-1', [VIEW]), { referenceToken: TOKEN });
    expect(code(() => requireView(viewingHolder, target(anon)))).toBe('allowed');
    expect(code(() => requireManage(viewingHolder, target(anon)))).toBe('MissingScope');
    const adminHolder = caller(principal('tenant', 'viewer', [VIEW]), { referenceToken: TOKEN });
    expect(code(() => requireManage(adminHolder, target(anon)))).toBe('MissingScope');
    const managingHolder = caller(principal('guest', 'g-9', [VIEW, MANAGE]), { referenceToken: TOKEN });
    expect(code(() => requireManage(managingHolder, target(anon)))).toBe('allowed');
  });

  it('one entry point: every resource decision also checks kind, tenant and scope (issue 9: grants skipped it)', () => {
    const foreignAdmin = caller(principal('tenant', 'admin', [VIEW, MANAGE], 'other'), { hybrisUser: 'g-1' });
    expect(code(() => authorize(foreignAdmin, 'shop', { to: 'manage', target: target(own) }))).toBe('TenantNotFound');
    expect(code(() => requireManage(foreignAdmin, target(own)))).toBe('TenantNotFound');
    expect(code(() => requireView(foreignAdmin, target(own)))).toBe('TenantNotFound');
    expect(code(() => requireDelete(foreignAdmin, target(own)))).toBe('TenantNotFound');
    const foreignSameSub = caller(principal('guest', 'g-1', [VIEW, MANAGE], 'other'));
    expect(code(() => authorize(foreignSameSub, 'shop', { to: 'manage', target: target(own) }))).toBe('TenantNotFound');
    const holderElsewhere = caller(principal('anonymous', 'a-1', [VIEW], 'other'), { referenceToken: TOKEN });
    expect(code(() => authorize(holderElsewhere, 'shop', { to: 'manage', target: target(anon) }))).toBe('TenantNotFound');
    const operator = caller(principal('system', 'op', [VIEW, MANAGE]), { hybrisUser: 'g-1' });
    expect(code(() => authorize(operator, 'shop', { to: 'manage', target: target(own) }))).toBe('PrincipalNotAllowed');
    const partner = caller(principal('partner', 'p-1', [VIEW, MANAGE]), { referenceToken: TOKEN });
    expect(code(() => authorize(partner, 'shop', { to: 'manage', target: target(anon) }))).toBe('PrincipalNotAllowed');
    // A reference loaded under another tenant than the one asked for is never decided on.
    expect(code(() => authorize(caller(principal('tenant', 'admin', [MANAGE])), 'shop', { to: 'delete', target: target(reference({ tenant: 'other' })) }))).toBe('ConsentReferenceNotFound');
    expect(code(() => authorize(caller(principal('guest', 'g-1', [VIEW, MANAGE])), 'shop', { to: 'manage', target: target(own) }))).toBe('allowed');
  });

  it('hybris-user is honoured only for a tenant principal with manage scope', () => {
    expect(actingUser(caller(principal('tenant', 'admin', [MANAGE]), { hybrisUser: 'u-7' }))).toBe('u-7');
    expect(actingUser(caller(principal('tenant', 'admin', [VIEW]), { hybrisUser: 'u-7' }))).toBeUndefined();
    expect(actingUser(caller(principal('tenant', 'admin', [MANAGE]), { hybrisUser: 'ANONYMOUS' }))).toBeUndefined();
    expect(actingUser(caller(principal('tenant', 'admin', [MANAGE]), { hybrisUser: 'null' }))).toBeUndefined();
    expect(actingUser(caller(principal('guest', 'g-1', [MANAGE]), { hybrisUser: 'u-7' }))).toBe('g-1');
    expect(actingUser(caller(principal('anonymous', 'a-1', [VIEW]), { hybrisUser: 'u-7' }))).toBeUndefined();
  });

  it('nothing crosses tenants, and partners and operators do not use the consent API', () => {
    expect(code(() => requireConsentCaller(caller(principal('guest', 'g-1', [VIEW], 'other')), 'shop'))).toBe('TenantNotFound');
    expect(code(() => requireTenantAdmin(caller(principal('tenant', 'admin', [MANAGE], 'other')), 'shop'))).toBe('TenantNotFound');
    expect(code(() => requireConsentCaller(caller(principal('partner', 'p-1', [VIEW])), 'shop'))).toBe('PrincipalNotAllowed');
    expect(code(() => requireConsentCaller(caller(principal('guest', 'g-1', [])), 'shop'))).toBe('MissingScope');
    expect(code(() => requireTenantAdmin(caller(principal('tenant', 'admin', [VIEW])), 'shop'))).toBe('MissingScope');
    expect(code(() => requireTenantAdmin(caller(principal('guest', 'g-1', [MANAGE])), 'shop'))).toBe('PrincipalNotAllowed');
  });
});
