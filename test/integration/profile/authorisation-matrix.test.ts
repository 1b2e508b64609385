import { randomBytes } from 'node:crypto';
import { call, tokenFor } from '../../support/api.js';
import { ALL_PROFILE, type Guest, profileWorld, type World } from './support.js';
import { CONSENT_VIEW } from '../../../shared/platform/scopes.js';

/**
 * Every profile endpoint against every kind of caller. Read endpoints run for all callers; for write
 * endpoints the callers that must be refused run first, then the owner. No response to anybody but the
 * owner may contain the owner's data, and the owner's object must come out of it all unchanged.
 */
type CallerName =
  | 'owner' | 'ownerOnPortal' | 'friend' | 'otherPartnersApp' | 'otherAppOfPartner'
  | 'partnerWithoutGuest' | 'otherTenant' | 'anonymous' | 'tenantAdmin' | 'noScope' | 'noToken';

let world: World;
let owner: Guest;
let friend: Guest;
let tokens: Record<CallerName, string | undefined>;
let sharingIdentifier: string;
const secret = `OWNER-SECRET-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  world = await profileWorld();
  owner = await world.guest({ givenName: 'Olga', familyName: 'Owner' });
  friend = await world.guest({ givenName: 'Fred', familyName: 'Friend' });
  tokens = {
    owner: await owner.token(),
    ownerOnPortal: await owner.token({ noPartner: true }),
    friend: await friend.token(),
    otherPartnersApp: await owner.token({ partner: world.partnerB, client: 'app-b' }),
    otherAppOfPartner: await owner.token({ client: 'app-a2' }),
    partnerWithoutGuest: await tokenFor({ principal: 'partner', tenant: world.tenant, sub: world.partnerA, partner: world.partnerA, client: 'app-a', scope: ALL_PROFILE }),
    otherTenant: await tokenFor({ principal: 'guest', tenant: 'prof-elsewhere', sub: owner.sub, partner: world.partnerA, client: 'app-a', scope: ALL_PROFILE }),
    anonymous: await tokenFor({ principal: 'anonymous', tenant: world.tenant, scope: ALL_PROFILE }),
    tenantAdmin: await tokenFor({ principal: 'tenant', tenant: world.tenant, scope: ALL_PROFILE }),
    noScope: await owner.token({ scope: CONSENT_VIEW }),
    noToken: undefined,
  };
  await call('PUT', '/profile/v1/me', { token: tokens.owner, body: { givenName: secret } });
  await call('PUT', '/profile/v1/partnerdata/obj', { token: tokens.owner, body: { secret } });
  sharingIdentifier = (await call('PUT', '/profile/v1/partnerdata/obj/share', { token: tokens.owner })).body.sharingIdentifier;
}, 90_000);

const refused = { partnerWithoutGuest: 403, anonymous: 403, tenantAdmin: 403, noScope: 403, noToken: 401 } as const;

interface Row {
  readonly method: string;
  readonly path: () => string;
  readonly label?: string;
  readonly body?: unknown;
  readonly expect: Partial<Record<CallerName, number>>;
}

const rows: Row[] = [
  { method: 'GET', label: '/profile/v1/me', path: () => '/profile/v1/me', expect: { ...refused, owner: 200, ownerOnPortal: 200, friend: 200, otherPartnersApp: 200, otherAppOfPartner: 200, otherTenant: 404 } },
  { method: 'GET', label: '/profile/v1/partnerdata/obj', path: () => '/profile/v1/partnerdata/obj', expect: { ...refused, owner: 200, ownerOnPortal: 403, friend: 404, otherPartnersApp: 404, otherAppOfPartner: 404, otherTenant: 404 } },
  { method: 'GET', label: '/profile/v1/partnerdata?prefix=obj', path: () => '/profile/v1/partnerdata?prefix=obj', expect: { ...refused, owner: 200, ownerOnPortal: 403, friend: 200, otherPartnersApp: 200, otherAppOfPartner: 200, otherTenant: 404 } },
  { method: 'GET', label: '/profile/v1/shares', path: () => '/profile/v1/shares', expect: { ...refused, owner: 200, ownerOnPortal: 200, friend: 200, otherPartnersApp: 200, otherAppOfPartner: 200, otherTenant: 200 } },
  { method: 'GET', label: '/profile/v1/me/export', path: () => '/profile/v1/me/export', expect: { ...refused, owner: 403, ownerOnPortal: 200, friend: 403, otherPartnersApp: 403, otherTenant: 403 } },
  { method: 'GET', label: '/profile/v1/me/access', path: () => '/profile/v1/me/access', expect: { ...refused, owner: 403, ownerOnPortal: 200, friend: 403, otherTenant: 403 } },
  { method: 'PUT', label: '/profile/v1/import/{sharingIdentifier}', path: () => `/profile/v1/import/${sharingIdentifier}`, expect: { ...refused, owner: 400, otherAppOfPartner: 400, otherPartnersApp: 404, otherTenant: 404, ownerOnPortal: 403, friend: 201 } },
  { method: 'PUT', label: '/profile/v1/partnerdata/obj', path: () => '/profile/v1/partnerdata/obj', body: { secret: 'overwritten' }, expect: { ...refused, ownerOnPortal: 403, otherTenant: 404 } },
  { method: 'PUT', label: '/profile/v1/partnerdata/obj/share', path: () => '/profile/v1/partnerdata/obj/share', expect: { ...refused, ownerOnPortal: 403, otherPartnersApp: 404, otherAppOfPartner: 404, otherTenant: 404, owner: 200 } },
  { method: 'PUT', label: '/profile/v1/me', path: () => '/profile/v1/me', body: { givenName: 'Mallory' }, expect: { ...refused, otherTenant: 404 } },
  { method: 'DELETE', label: '/profile/v1/partnerdata/obj/share', path: () => '/profile/v1/partnerdata/obj/share', expect: { ...refused, ownerOnPortal: 403, friend: 404, otherPartnersApp: 404, otherAppOfPartner: 404, otherTenant: 404, owner: 204 } },
  { method: 'DELETE', label: '/profile/v1/partnerdata/obj', path: () => '/profile/v1/partnerdata/obj', expect: { ...refused, ownerOnPortal: 403, friend: 404, otherPartnersApp: 404, otherAppOfPartner: 404, otherTenant: 404, owner: 204 } },
  { method: 'DELETE', label: '/profile/v1/me/relations/{partnerId}', path: () => `/profile/v1/me/relations/${world.partnerA}`, expect: { ...refused, otherTenant: 404, friend: 204, owner: 204 } },
  { method: 'DELETE', label: '/profile/v1/me', path: () => '/profile/v1/me', expect: { ...refused, otherTenant: 404 } },
];

describe('authorisation matrix of the profile API', () => {
  it.each(rows.map((row) => [`${row.method} ${row.label ?? ''}`, row]))('%s', async (_label, row) => {
    for (const [caller, status] of Object.entries(row.expect) as [CallerName, number][]) {
      const response = await call(row.method, row.path(), { token: tokens[caller], body: row.body });
      expect({ caller, status: response.status }).toEqual({ caller, status });
      if (caller !== 'owner' && caller !== 'ownerOnPortal' && caller !== 'otherPartnersApp' && caller !== 'otherAppOfPartner') {
        expect({ caller, leaked: response.text.includes(secret) }).toEqual({ caller, leaked: false });
      }
      if (status >= 400) expect(response.body).toEqual(expect.objectContaining({ message: expect.any(String) }));
    }
    if (row.method !== 'GET' && !row.path().includes('/import/')) {
      // Nobody but the owner changed anything yet: the owner's object and profile are intact.
      const obj = await call('GET', '/profile/v1/partnerdata/obj', { token: tokens.owner });
      if (obj.status === 200) expect(obj.body).toEqual({ secret });
    }
  });

  it('the owner finally erases the profile; a second erasure answers 404', async () => {
    expect((await call('DELETE', '/profile/v1/me', { token: tokens.owner })).status).toBe(204);
    expect((await call('DELETE', '/profile/v1/me', { token: tokens.owner })).status).toBe(404);
  });
});
