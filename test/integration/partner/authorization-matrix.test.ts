import { api } from './contract.js';
import { ALL_RECHTE, createPartner, newTenant, organisation, partnerToken, person, type Tenant } from './support.js';
import { DATA_READ, PARTNER_SCOPES } from '../../../shared/platform/scopes.js';

/**
 * Every operation, called on the same target by callers above, below and beside it, from another
 * tenant, without the scope and without a token. Tree: root > ORG > LEAD (person, all rights) >
 * TARGET (person) > CHILD (person); BESIDE is a person with all rights directly below ORG.
 * kontaktdaten and PATCH zugang name no scope in the spec, so "no scope" passes there; kontaktdaten
 * of an existing partner without a relation is 403 (spec), not 404.
 */
type Caller = 'above' | 'below' | 'beside' | 'otherTenant' | 'noScope' | 'noToken';
interface Row {
  readonly name: string;
  readonly method: string;
  readonly path: (ids: Ids) => string;
  readonly body?: (ids: Ids) => unknown;
  readonly expect: Record<Caller, number>;
}
interface Ids {
  target: string;
  child: string;
  n: number;
}

const hidden = { below: 404, beside: 404, otherTenant: 404, noScope: 403, noToken: 401 };
const rows: Row[] = [
  { name: 'getPartner', method: 'GET', path: (i) => `/v2/partner/${i.target}`, expect: { above: 200, ...hidden } },
  { name: 'updatePartner', method: 'PATCH', path: (i) => `/v2/partner/${i.target}`, body: (i) => ({ telefonnummer: `030 ${i.n}` }), expect: { above: 200, ...hidden } },
  { name: 'getKontaktdaten', method: 'GET', path: (i) => `/v2/partner/${i.target}/kontaktdaten`, expect: { above: 200, below: 403, beside: 403, otherTenant: 404, noScope: 200, noToken: 401 } },
  { name: 'getPartnerRechte', method: 'GET', path: (i) => `/v2/partner/${i.target}/rechte`, expect: { above: 200, ...hidden } },
  { name: 'setPartnerRecht', method: 'PATCH', path: (i) => `/v2/partner/${i.target}/rechte`, body: () => ({ baufismart: { baufiSmartNutzen: true } }), expect: { above: 200, ...hidden } },
  { name: 'createPartner', method: 'POST', path: (i) => `/v2/partner/${i.target}/untergeordnete`, body: (i) => ({ vorname: `Neu${i.n}` }), expect: { above: 201, ...hidden } },
  { name: 'getChildren', method: 'GET', path: (i) => `/v2/partner/${i.target}/untergeordnete`, expect: { above: 200, ...hidden } },
  { name: 'getPartnerkennzeichen', method: 'GET', path: (i) => `/v2/partner/${i.target}/partnerkennzeichen`, expect: { above: 200, ...hidden } },
  { name: 'getAdministrierbare', method: 'GET', path: (i) => `/v2/partner/${i.target}/administrierbare`, expect: { above: 200, ...hidden } },
  { name: 'getUebernehmbare', method: 'GET', path: (i) => `/v2/partner/${i.target}/uebernehmbare`, expect: { above: 200, ...hidden } },
  { name: 'getPartnerLizenzen', method: 'GET', path: (i) => `/v2/partner/${i.target}/lizenzen`, expect: { above: 200, ...hidden } },
  { name: 'getUebernahmeRechtFuer', method: 'GET', path: (i) => `/v2/partner/${i.target}/uebernahmeRechtFuer/${i.child}`, expect: { above: 200, ...hidden } },
  { name: 'setUebernahmeRechtFuer', method: 'POST', path: (i) => `/v2/partner/${i.target}/uebernahmeRechtFuer/${i.child}`, expect: { above: 201, ...hidden } },
  { name: 'getZugang', method: 'GET', path: (i) => `/v2/partner/${i.target}/zugang`, expect: { above: 200, ...hidden } },
  { name: 'createZugang', method: 'POST', path: (i) => `/v2/partner/${i.target}/zugang`, body: () => ({ identityProviderBenutzername: 'target.idp' }), expect: { above: 201, ...hidden } },
  { name: 'patchZugang', method: 'PATCH', path: (i) => `/v2/partner/${i.target}/zugang`, body: (i) => ({ identityProviderBenutzername: `target.idp.${i.n}` }), expect: { above: 200, below: 404, beside: 404, otherTenant: 404, noScope: 200, noToken: 401 } },
  { name: 'getPartnersByExternePartnerId', method: 'GET', path: () => '/v2/partners?externePartnerId=matrix-target', expect: { above: 200, below: 200, beside: 200, otherTenant: 200, noScope: 403, noToken: 401 } },
  { name: 'pfad (beyond the spec)', method: 'GET', path: (i) => `/v2/partner/${i.target}/pfad`, expect: { above: 200, ...hidden } },
];

let t: Tenant;
let other: Tenant;
const tokens = {} as Record<Exclude<Caller, 'noToken'>, string>;
let ids: Ids;

beforeAll(async () => {
  t = await newTenant('matrix');
  other = await newTenant('matrix-other');
  const org = await createPartner(t.adminToken, t.root, organisation('Vertrieb'));
  const lead = await createPartner(t.adminToken, org, person('Lea', { rechte: ALL_RECHTE }));
  const target = await createPartner(t.adminToken, lead, person('Tom', { externePartnerId: 'matrix-target' }));
  const child = await createPartner(t.adminToken, target, person('Kim'));
  const beside = await createPartner(t.adminToken, org, person('Ben', { rechte: ALL_RECHTE }));
  ids = { target, child, n: 0 };
  tokens.above = await partnerToken(t.tenant, lead);
  tokens.below = await partnerToken(t.tenant, child);
  tokens.beside = await partnerToken(t.tenant, beside);
  tokens.otherTenant = other.adminToken;
  tokens.noScope = await partnerToken(t.tenant, lead, DATA_READ);
});

// Refused callers first, so "above" finds nothing changed by them (createZugang would otherwise be 406).
const order: Caller[] = ['noToken', 'noScope', 'otherTenant', 'beside', 'below', 'above'];

describe.each(rows)('$name', (row) => {
  it.each(order)('called by a partner %s', async (caller) => {
    ids.n += 1;
    const token = caller === 'noToken' ? undefined : tokens[caller];
    const response = await api(row.method, row.path(ids), { token, body: row.body?.(ids) });
    expect({ caller, status: response.status }).toEqual({ caller, status: row.expect[caller] });
    if (response.status >= 400) expect(response.body).toMatchObject({ message: expect.any(String), traceId: expect.any(String) });
  });
});

describe('search never shows partners the caller may not see', () => {
  it.each(['below', 'beside', 'otherTenant'] as const)('%s finds nothing', async (caller) => {
    const response = await api('GET', '/v2/partners?externePartnerId=matrix-target', { token: tokens[caller] });
    expect(response.body).toEqual({ total: 0, partners: [] });
  });

  it('above finds the target', async () => {
    const response = await api('GET', '/v2/partners?externePartnerId=matrix-target', { token: tokens.above });
    expect(response.body.partners.map((p: { partnerId: string }) => p.partnerId)).toEqual([ids.target]);
  });
});

describe('both spellings of the relation-writing scope', () => {
  it.each([PARTNER_SCOPES.beziehungenSchreiben[0], PARTNER_SCOPES.beziehungenSchreiben[1]])('%s grants a Zugriffsrecht', async (scope) => {
    const token = await partnerToken(t.tenant, t.admin, scope);
    const response = await api('POST', `/v2/partner/${ids.target}/uebernahmeRechtFuer/${ids.child}`, { token });
    expect(response.status).toBe(201);
  });
});

describe('non-partner tokens', () => {
  it('a guest token of the same tenant with every scope is refused', async () => {
    const { tokenFor } = await import('../../support/api.js');
    const token = await tokenFor({ principal: 'guest', tenant: t.tenant, partner: t.admin, scope: PARTNER_SCOPES.lesen });
    expect((await api('GET', `/v2/partner/${ids.target}`, { token })).status).toBe(403);
  });
});
