import { api } from './contract.js';
import { ALL_RECHTE, createPartner, grantEinstellungsrecht, newTenant, organisation, partnerToken, person, type Tenant } from './support.js';

/**
 * The caller always has the Einstellungsrecht on itself ("everyone may at least set itself"); that
 * must never let it act on its own place in the tree: move itself or an ancestor, lock itself
 * (directly or through an ancestor), or pass itself rights it does not hold.
 *
 * Tree: root > ADMIN; root > ORG > TEAM > (P, Q); root > ELSEWHERE; root > OTHER.
 * P and Q are persons with every right. P holds an explicit Einstellungsrecht on ELSEWHERE and
 * OTHER; Q on ELSEWHERE and on ORG (so Q manages TEAM, its own parent).
 */
let t: Tenant;
let org: string;
let team: string;
let p: string;
let q: string;
let elsewhere: string;
let other: string;
let pToken: string;
let qToken: string;

beforeAll(async () => {
  t = await newTenant('self');
  org = await createPartner(t.adminToken, t.root, organisation('Vertrieb'));
  team = await createPartner(t.adminToken, org, organisation('Team'));
  p = await createPartner(t.adminToken, team, person('Paula', { rechte: ALL_RECHTE }));
  q = await createPartner(t.adminToken, team, person('Quentin', { rechte: ALL_RECHTE }));
  elsewhere = await createPartner(t.adminToken, t.root, organisation('Anderswo'));
  other = await createPartner(t.adminToken, t.root, organisation('Andere'));
  await grantEinstellungsrecht(t.tenant, p, elsewhere);
  await grantEinstellungsrecht(t.tenant, p, other);
  await grantEinstellungsrecht(t.tenant, q, elsewhere);
  await grantEinstellungsrecht(t.tenant, q, org);
  pToken = await partnerToken(t.tenant, p);
  qToken = await partnerToken(t.tenant, q);
});

const move = (id: string, parent: string, token: string) => api('PUT', `/v2/partner/${id}/parent`, { token, body: { partnerId: parent } });
const parentOf = async (id: string) => (await api('GET', `/v2/partner/${id}`, { token: t.adminToken })).body.parent?.partnerId;
const pfadOf = async (id: string) =>
  ((await api('GET', `/v2/partner/${id}/pfad`, { token: t.adminToken })).body.content ?? []).map((x: { partnerId: string }) => x.partnerId);

describe('a partner cannot move itself or its ancestors', () => {
  it('the reported case: a partner with an Einstellungsrecht elsewhere cannot move itself there', async () => {
    const response = await move(p, elsewhere, pToken);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'CannotMoveSelf', message: expect.stringMatching(/itself/) });
    expect(await parentOf(p)).toBe(team);
  });

  it('not even when it manages its own parent, nor below a sibling', async () => {
    expect((await move(q, elsewhere, qToken)).body.code).toBe('CannotMoveSelf');
    expect((await move(q, p, qToken)).body.code).toBe('CannotMoveSelf');
    expect(await parentOf(q)).toBe(team);
  });

  it('an ancestor cannot be moved by a partner below it, even with the Einstellungsrecht on all parents involved', async () => {
    const response = await move(team, elsewhere, qToken);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('CannotMoveOwnAncestor');
    expect(await parentOf(team)).toBe(org);
  });

  it('the tenant administrator (Einstellungsrecht on the root) cannot move itself', async () => {
    const response = await move(t.admin, org, t.adminToken);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('CannotMoveSelf');
    expect(await parentOf(t.admin)).toBe(t.root);
  });
});

describe('a move needs the Einstellungsrecht on the current and the new parent', () => {
  it('an Einstellungsrecht on the partner alone does not let it be taken away from its parent', async () => {
    // P manages OTHER (explicit) and itself, but not OTHER's parent, the root.
    const response = await move(other, p, pToken);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('CurrentParentNotManaged');
    expect(await parentOf(other)).toBe(t.root);
  });

  it('moves inside what the caller manages still work', async () => {
    const k1 = await createPartner(pToken, p, organisation('K1'));
    const k2 = await createPartner(pToken, p, organisation('K2'));
    expect((await move(k2, k1, pToken)).status).toBe(200);
    expect(await parentOf(k2)).toBe(k1);
    // Q manages ORG explicitly, so it may move a partner from below ORG to ELSEWHERE.
    expect((await move(k2, elsewhere, qToken)).status).toBe(200);
    expect(await pfadOf(k2)).toEqual([t.root, elsewhere, k2]);
  });
});

describe('cycles', () => {
  it('a partner cannot be moved below itself or below one of its descendants', async () => {
    const self = await move(org, org, t.adminToken);
    expect(self.status).toBe(400);
    expect(self.body.code).toBe('MoveIntoOwnSubtree');
    const below = await move(org, p, t.adminToken);
    expect(below.status).toBe(400);
    expect(below.body.code).toBe('MoveIntoOwnSubtree');
    expect(await parentOf(org)).toBe(t.root);
  });

  it('two concurrent moves never close a cycle (A below C while C’s parent B moves below A)', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await createPartner(t.adminToken, org, organisation(`A${round}`));
      const b = await createPartner(t.adminToken, org, organisation(`B${round}`));
      const c = await createPartner(t.adminToken, b, organisation(`C${round}`));
      // A's subtree is deep, so moving A reads longer: the other move tends to commit in between.
      let below = a;
      for (let level = 0; level < 3; level++) below = await createPartner(t.adminToken, below, organisation(`A${round}.${level}`));
      const [first, second] = await Promise.all([move(a, c, t.adminToken), move(b, a, t.adminToken)]);
      expect([first.status, second.status]).not.toEqual([200, 200]);
      for (const id of [a, b, c]) expect((await pfadOf(id)).slice(0, 2)).toEqual([t.root, org]);
    }
  });
});

describe('locks and rights on oneself', () => {
  it('a partner cannot lock itself', async () => {
    const response = await api('PATCH', `/v2/partner/${p}`, { token: pToken, body: { gesperrt: true } });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('CannotLockSelf');
  });

  it('nor lock an ancestor it manages, which would lock itself with it', async () => {
    const own = await newTenant('selflock');
    const response = await api('PATCH', `/v2/partner/${own.root}`, { token: own.adminToken, body: { gesperrt: true } });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('CannotLockSelf');
    const admin = await api('GET', `/v2/partner/${own.admin}`, { token: own.adminToken });
    expect(admin.status).toBe(200);
    expect(admin.body.gesperrt).toBe(false);
  });

  it('nor through a create that names the ancestor (205)', async () => {
    const own = await newTenant('selflock');
    const unit = await createPartner(own.adminToken, own.root, organisation('Unit'));
    const response = await api('POST', `/v2/partner/${unit}/untergeordnete`, {
      token: own.adminToken,
      body: organisation('Wurzel', { partnerId: own.root, gesperrt: true }),
    });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('CannotLockSelf');
    expect((await api('GET', `/v2/partner/${own.admin}`, { token: own.adminToken })).body.gesperrt).toBe(false);
  });

  it('a partner cannot switch on for itself a right it does not hold', async () => {
    const limited = await createPartner(t.adminToken, team, person('Lea', { rechte: { baufismart: { baufiSmartNutzen: true } } }));
    const token = await partnerToken(t.tenant, limited);
    const response = await api('PATCH', `/v2/partner/${limited}/rechte`, { token, body: { partnermanagement: { partnerAnlegen: true } } });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('RechtNotHeld');
  });
});
