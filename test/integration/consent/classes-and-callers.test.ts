import { randomBytes } from 'node:crypto';
import { busEvents, call, systemToken, tokenFor, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { activeReference, BASE, enc, MANAGE, tenantWithMetamodel, type TestTenant, VIEW, whenActive } from './support.js';

/**
 * Issue 10 (consent): the dictionary's sort expression, the class flags `editable` and `enabled`, a tenant
 * naming a `hybris-user` without manage scope, blocking through an alias, and the seed's `curl -d` bodies.
 * The dictionary is platform-wide, so this file uses classes of its own (unique names) and never changes
 * the shared ones.
 */
let t: TestTenant;
const suffix = randomBytes(4).toString('hex');
const LOCKED = `Locked${suffix}`; // editable: false
const HIDDEN = `Hidden${suffix}`; // enabled: false
const LOCKED_SCHEMA = `https://example.org/schemas/locked-${suffix}`;
const HIDDEN_SCHEMA = `https://example.org/schemas/hidden-${suffix}`;

const putClass = async (name: string, body: Record<string, unknown>) =>
  call('PUT', `/admin/v1/consentClasses/${name}`, { token: await systemToken(), body });
const consentsOf = (ref: string, token: string) => call('GET', `${BASE}/${t.tenant}/consents/${ref}`, { token });
const grantedOf = async (ref: string, schema: string) =>
  (await call('GET', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(schema)}`, { token: t.admin })).body.granted;

beforeAll(async () => {
  t = await tenantWithMetamodel('cls');
  for (const [name, schema] of [[LOCKED, LOCKED_SCHEMA], [HIDDEN, HIDDEN_SCHEMA]] as const) {
    expect((await putClass(name, { title: name, description: 'flags test' })).status).toBe(201);
    const response = await call('PUT', `${BASE}/${t.tenant}/schemas/${enc(schema)}`, {
      token: t.admin, body: { consentClass: name, owner: 'user', title: `${name} data`, description: 'flags test' },
    });
    expect(response.status).toBe(201);
  }
});

describe('GET /consentClasses?sort=', () => {
  const titles = ['Zebra views', 'alpha clicks', 'Middle events'];
  const names = titles.map((_, i) => `Sort${suffix}${'cba'[i]}`);
  beforeAll(async () => {
    for (const [i, name] of names.entries()) expect((await putClass(name, { title: titles[i] })).status).toBe(201);
  });
  const order = async (sort: string) => {
    const response = await call('GET', `${BASE}/consentClasses?pageSize=1000&sort=${sort}`, { token: t.admin });
    expect(response.status).toBe(200);
    return (response.body as Array<{ class: string }>).map((c) => c.class).filter((c) => names.includes(c));
  };

  it('sorts by title ascending and descending, case-insensitively', async () => {
    expect(await order('title:asc')).toEqual([names[1], names[2], names[0]]);
    expect(await order('title:desc')).toEqual([names[0], names[2], names[1]]);
    expect(await order('title')).toEqual([names[1], names[2], names[0]]);
  });

  it('a bare sort=class means ascending; class:desc reverses', async () => {
    expect(await order('class')).toEqual([...names].sort());
    expect(await order('class:desc')).toEqual([...names].sort().reverse());
  });

  it('an invalid sort expression is a clear 400', async () => {
    for (const sort of ['price:asc', 'title:up', 'class:', 'CLASS']) {
      const response = await call('GET', `${BASE}/consentClasses?sort=${sort}`, { token: t.admin });
      expect(response.status).toBe(400);
      expect(response.body.code).toBeDefined();
    }
  });
});

describe('class flags', () => {
  it('editable:false — a guest cannot change consents of the class (403), the tenant acting for the user can', async () => {
    const guest = await t.guest('g-cls-1');
    const { ref } = await activeReference(t, guest);
    expect(await grantedOf(ref, LOCKED_SCHEMA)).toBe(true);
    expect((await putClass(LOCKED, { title: LOCKED, editable: false })).status).toBe(200);

    for (const path of [`classes/${LOCKED}`, `schemas/${enc(LOCKED_SCHEMA)}`]) {
      const refused = await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/${path}`, { token: guest, body: { granted: false } });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'ConsentClassNotEditable' });
      expect(refused.body.message).toContain(LOCKED);
    }
    expect(await grantedOf(ref, LOCKED_SCHEMA)).toBe(true);

    const byTenant = await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/classes/${LOCKED}`, {
      token: t.admin, headers: { 'hybris-user': 'g-cls-1' }, body: { granted: false },
    });
    expect(byTenant.status).toBe(200);
    expect(await grantedOf(ref, LOCKED_SCHEMA)).toBe(false);
    // Other classes stay editable by the guest.
    expect((await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/classes/CartEvents`, { token: guest, body: { granted: false } })).status).toBe(200);
  });

  it('enabled:false — the class is not offered to guests, its consents cannot be granted (409) but can still be revoked', async () => {
    const guest = await t.guest('g-cls-2');
    const { ref } = await activeReference(t, guest);
    expect((await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(HIDDEN_SCHEMA)}`, { token: guest, body: { granted: false } })).status).toBe(200);
    const other = await t.guest('g-cls-3');
    const { ref: stillGranted } = await activeReference(t, other);
    expect(await grantedOf(stillGranted, HIDDEN_SCHEMA)).toBe(true);

    expect((await putClass(HIDDEN, { title: HIDDEN, enabled: false })).status).toBe(200);

    const forGuest = await call('GET', `${BASE}/consentClasses?pageSize=1000`, { token: guest });
    expect(forGuest.body.map((c: { class: string }) => c.class)).not.toContain(HIDDEN);
    const forTenant = await call('GET', `${BASE}/consentClasses?pageSize=1000`, { token: t.admin });
    expect(forTenant.body.find((c: { class: string }) => c.class === HIDDEN)).toMatchObject({ enabled: false });

    // Not offered: not in the listing while not granted …
    expect((await consentsOf(ref, guest)).body.map((c: { schema: string }) => c.schema)).not.toContain(HIDDEN_SCHEMA);
    // … and cannot be granted, by class, by schema, or by the tenant.
    for (const [path, token, headers] of [
      [`classes/${HIDDEN}`, guest, {}],
      [`schemas/${enc(HIDDEN_SCHEMA)}`, guest, {}],
      [`schemas/${enc(HIDDEN_SCHEMA)}`, t.admin, { 'hybris-user': 'g-cls-2' }],
    ] as const) {
      const refused = await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/${path}`, { token, headers, body: { granted: true } });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'ConsentClassDisabled' });
    }
    expect(await grantedOf(ref, HIDDEN_SCHEMA)).toBe(false);
    // A new reference asking for it is refused, and one with the defaults does not get it.
    const asking = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: await t.guest('g-cls-4'), body: { classes: [HIDDEN] } });
    expect(asking.status).toBe(409);
    expect(asking.body.code).toBe('ConsentClassDisabled');
    const fresh = await activeReference(t, await t.guest('g-cls-5'));
    expect(await grantedOf(fresh.ref, HIDDEN_SCHEMA)).toBe(false);

    // What is still granted stays listed, so its owner can withdraw it.
    expect((await consentsOf(stillGranted, other)).body.find((c: { schema: string }) => c.schema === HIDDEN_SCHEMA)).toMatchObject({ granted: true });
    const revoked = await call('PUT', `${BASE}/${t.tenant}/consents/${stillGranted}/schemas/${enc(HIDDEN_SCHEMA)}`, { token: other, body: { granted: false } });
    expect(revoked.status).toBe(200);
    expect(await grantedOf(stillGranted, HIDDEN_SCHEMA)).toBe(false);
  });
});

describe('a tenant token naming a hybris-user', () => {
  it('with view scope only is refused clearly (403) and creates nothing — never a new anonymous reference', async () => {
    const viewer = await tokenFor({ principal: 'tenant', tenant: t.tenant, sub: 'viewer', scope: VIEW });
    const refused = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: viewer, headers: { 'hybris-user': 'u-cls-1' } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('HybrisUserNeedsManageScope');
    expect(refused.body.message).toContain(MANAGE);
    expect((await call('GET', `${BASE}/${t.tenant}/users/u-cls-1`, { token: t.admin })).status).toBe(404);

    // With manage scope it is the user's reference; hybris-user ANONYMOUS still means an anonymous one.
    const created = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: t.admin, headers: { 'hybris-user': 'u-cls-1' } });
    expect(created.status).toBe(201);
    await whenActive(t.tenant, created.body.id, t.admin);
    expect((await call('GET', `${BASE}/${t.tenant}/users/u-cls-1`, { token: t.admin })).body.id).toBe(created.body.id);
    const anonymous = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token: viewer, headers: { 'hybris-user': 'ANONYMOUS' } });
    expect(anonymous.status).toBe(201);
  });
});

describe('blocking through an alias', () => {
  it('blocks the leader (one profile), and the answer names the leader in body and header', async () => {
    const leaderToken = await t.guest('g-cls-lead');
    const { ref: leader } = await activeReference(t, leaderToken);
    const { ref: alias } = await activeReference(t, await t.guest('g-cls-alias'));
    expect((await call('POST', `${BASE}/${t.tenant}/consentReferences/${leader}/aliases`, { token: t.admin, body: { aliases: [alias] } })).status).toBe(200);

    const blocked = await call('PUT', `${BASE}/${t.tenant}/consentReferences/${alias}/block`, { token: t.admin, body: { blocked: true } });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ id: alias, blocked: true, leadingConsentReference: leader });
    expect(blocked.headers.get('leading-consent-reference')).toBe(leader);
    expect((await call('GET', `${BASE}/${t.tenant}/consentReferences/${leader}`, { token: t.admin })).body.blocked).toBe(true);
    const change = await call('PUT', `${BASE}/${t.tenant}/consents/${leader}/classes/CartEvents`, { token: leaderToken, body: { granted: false } });
    expect(change.status).toBe(423);
    const event = await waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === 'ConsentReferenceBlocked' && e.detail.consentReference === leader));
    expectInCatalogue(event);
    expect((await call('PUT', `${BASE}/${t.tenant}/consentReferences/${alias}/block`, { token: t.admin, body: { blocked: false } })).body.blocked).toBe(false);
    expect((await call('PUT', `${BASE}/${t.tenant}/consents/${leader}/classes/CartEvents`, { token: leaderToken, body: { granted: false } })).status).toBe(200);
  });
});

describe("the seed's curl -d bodies", () => {
  it('a JSON body sent as application/x-www-form-urlencoded (curl -d) is accepted; a real form body is a clear 400 that changes nothing', async () => {
    const guest = await t.guest('g-cls-curl');
    const { ref } = await activeReference(t, guest);
    const path = `${BASE}/${t.tenant}/consents/${ref}/classes/CartEvents`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const real = await call('PUT', path, { token: guest, headers: form, rawBody: 'granted=false' });
    expect(real.status).toBe(400);
    expect(real.body.code).toBe('UnsupportedContentType');
    expect((await consentsOf(ref, guest)).body.filter((c: { consentClass: string }) => c.consentClass === 'CartEvents').every((c: { granted: boolean }) => c.granted)).toBe(true);
    const curl = await call('PUT', path, { token: guest, headers: form, rawBody: '{\n     "granted"  : false\n}' });
    expect(curl.status).toBe(200);
    expect((await consentsOf(ref, guest)).body.filter((c: { consentClass: string }) => c.consentClass === 'CartEvents').every((c: { granted: boolean }) => !c.granted)).toBe(true);
  });
});
