import { catalog } from '../../../infra/catalog/index.js';
import type { RouteDefinition } from '../../../infra/catalog/types.js';
import { type ApiResponse, busEvents, call, waitFor } from '../../support/api.js';
import { CALLERS, type CallerId, type MatrixWorld, matrixWorld } from './support.js';

/**
 * Issue 9: every route of the catalog × every kind of caller, generated from the catalog. What a caller
 * may do follows from the route's declaration (`callers`, `scopes`, a `{tenant}` parameter) and, where
 * the declaration admits the caller, from the route's resource rule below (owner, token holder, partner
 * hierarchy). Refused callers use the most harmful request (revoke, block, overwrite, delete, with the
 * owner's `hybris-user` and reference token); after each route the owner's state (consents, history,
 * metamodel, profile, data, shares, target partner, settings) is read back and must be unchanged, and
 * no refused answer may contain the owner's secrets. Then the admitted callers run a legitimate request.
 * A catalog route without a row here fails the suite.
 */
type Outcome =
  /** Admitted and acting on the owner's resource: a legitimate request, 2xx. */
  | 'allowed'
  /** The owner through another app: the owner's own, but app rules may refuse (any answer below 500). */
  | 'owner'
  /** Refused by a resource rule: 403 or 404. */
  | 'denied'
  /** Admitted, acting only on its own resources: any answer below 500, the owner's state unchanged, nothing leaked. */
  | 'isolated'
  /**
   * A partner app's guest token on a route marked `guestVia: 'platform-pages'` (decision 0127): the route policy
   * answers 403 `PlatformPagesOnly` before any domain code, the owner's state unchanged. Every guest caller of the
   * matrix is an app's token (with `partner_id`); the platform pages' own token is attack-me-purges' and profile's.
   */
  | 'platformPagesOnly';
type Expected = Outcome | 401 | 403 | 404;

interface Request {
  readonly params?: Record<string, string>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly query?: string;
}

interface Row {
  /** The most harmful request against the owner (sent by callers expected to be refused or isolated). */
  readonly attack: (w: MatrixWorld) => Request;
  /** A legitimate request for admitted callers (default: the attack); may prepare what it acts on. */
  readonly legit?: (w: MatrixWorld, caller: CallerId) => Promise<Request> | Request;
  /** Waits for asynchronous effects of the legitimate requests (a metamodel fan-out) to land. */
  readonly settle?: (w: MatrixWorld) => Promise<unknown>;
  /** The resource rule for callers the declaration admits. */
  readonly rule: (caller: CallerId) => Outcome;
}

const OWNER_SIDE: readonly CallerId[] = ['owner', 'ownerViaOtherPartner', 'ownerViaOtherAppOfPartner'];
/** Consent references: the owner (any app), the holder of its token if anonymous, the tenant. */
const reference = (c: CallerId): Outcome => (OWNER_SIDE.includes(c) || c === 'anonymousWithToken' || c === 'tenantAdmin' ? 'allowed' : 'denied');
const tenantOnly = (c: CallerId): Outcome => (c === 'tenantAdmin' ? 'allowed' : 'denied');
const everybody = (): Outcome => 'allowed';
/** Partner API: only the partner above the target may act on it. */
const hierarchy = (c: CallerId): Outcome => (c === 'partnerAbove' ? 'allowed' : 'denied');
/** Profile `/me`: a guest acts on their own profile; the owner through another app is still the owner. */
const me = (c: CallerId): Outcome => (c === 'owner' ? 'allowed' : OWNER_SIDE.includes(c) ? 'owner' : 'isolated');
/** The platform pages' reads (export, access, purges): the route's `guestVia` refuses every app token of the matrix first. */
const meThroughPortal = (c: CallerId): Outcome => (OWNER_SIDE.includes(c) ? 'owner' : 'isolated');

const consentRef = (w: MatrixWorld) => ({ ref: w.owner.ref });
const scratch = { consentClass: 'ProfileData', owner: 'user', title: 'Scratch', description: 'legitimate matrix schema' };

const rows: Record<string, Row> = {
  // Platform operations.
  PutConsentClass: { attack: () => ({ params: { class: 'PartnerData' }, body: { title: 'hijacked', description: 'hijacked' } }), legit: () => ({ params: { class: 'PartnerData' }, body: { title: 'PartnerData', description: 'PartnerData (profile tests)' } }), rule: everybody },
  PutTenant: {
    attack: (w) => ({ params: { tenant: w.tenant }, body: { name: 'hijacked', rootPartner: { name: 'hijacked' }, administrator: { vorname: 'Mal', nachname: 'Lory', email: 'mal@example.com' } } }),
    legit: (w) => ({ params: { tenant: w.tenant }, body: { name: `Tenant ${w.tenant}`, rootPartner: { name: `${w.tenant} GmbH` }, administrator: { vorname: 'Ada', nachname: 'Admin', email: `admin@${w.tenant}.example` } } }),
    rule: everybody,
  },
  RestoreTenantAdministrator: { attack: (w) => ({ params: { tenant: w.tenant } }), rule: everybody },
  ListConsentClasses: { attack: () => ({}), rule: everybody },
  // Consent.
  GetUserConsentReference: { attack: (w) => ({ params: { user: w.owner.sub } }), rule: (c) => (OWNER_SIDE.includes(c) || c === 'tenantAdmin' ? 'allowed' : 'denied') },
  CreateConsentReference: { attack: () => ({ body: {} }), rule: () => 'isolated' },
  CreateTenantConsentReference: { attack: () => ({}), rule: tenantOnly },
  GetConsentReference: { attack: consentRef2(), rule: reference },
  BlockConsentReference: { attack: (w) => ({ params: consentRef(w), body: { blocked: true } }), legit: (w) => ({ params: consentRef(w), body: { blocked: false } }), rule: tenantOnly },
  MergeConsentReferences: {
    // Merging a reference of the attacker's into the owner's would let it reach the owner's data.
    attack: (w) => ({ params: consentRef(w), body: { aliases: [attackerRef] } }),
    legit: async (w) => {
      const [leader, alias] = await Promise.all([w.disposableReference(), w.disposableReference()]);
      return { params: { ref: leader.ref }, body: { aliases: [alias.ref] } };
    },
    rule: tenantOnly,
  },
  GetConsents: { attack: consentRef2(), rule: reference },
  DeleteConsentReference: {
    attack: consentRef2(),
    // Each admitted caller deletes a reference of its own kind of right: a fresh one whose token it holds.
    legit: async (w) => {
      const fresh = await w.disposableReference();
      return { params: { ref: fresh.ref }, headers: { 'consent-reference-token': fresh.refToken } };
    },
    rule: reference,
  },
  GetConsentHistory: { attack: consentRef2(), rule: reference },
  GetClassConsents: { attack: (w) => ({ params: { ...consentRef(w), consentClass: 'PartnerData' } }), rule: reference },
  PutClassConsents: { attack: (w) => ({ params: { ...consentRef(w), consentClass: 'PartnerData' }, body: { granted: false } }), legit: (w) => ({ params: { ...consentRef(w), consentClass: 'PartnerData' }, body: { granted: true } }), rule: reference },
  GetSchemaConsent: { attack: (w) => ({ params: { ...consentRef(w), schema: 'PartnerData' } }), rule: reference },
  PutSchemaConsent: { attack: (w) => ({ params: { ...consentRef(w), schema: 'PartnerData' }, body: { granted: false } }), legit: (w) => ({ params: { ...consentRef(w), schema: 'PartnerData' }, body: { granted: true } }), rule: reference },
  ListMetamodelSchemas: { attack: () => ({}), rule: tenantOnly },
  GetMetamodelSchema: { attack: () => ({ params: { schema: 'PartnerData' } }), rule: tenantOnly },
  PutMetamodelSchema: { attack: () => ({ params: { schema: 'PartnerData' }, body: { consentClass: 'ProfileData', owner: 'user', title: 'hijacked', description: 'hijacked' } }), legit: () => ({ params: { schema: 'MatrixScratch' }, body: scratch }), rule: tenantOnly },
  DeleteMetamodelSchema: {
    attack: () => ({ params: { schema: 'PartnerData' } }),
    legit: () => ({ params: { schema: 'MatrixScratch' } }),
    settle: (w) => waitFor(async () => !JSON.stringify((await call('GET', `/profile-consent/v1/${w.tenant}/consents/${w.owner.ref}`, { token: w.callers.tenantAdmin.token })).body).includes('MatrixScratch')),
    rule: tenantOnly,
  },
  // Partner management: the target partner, its child.
  SearchPartners: { attack: (w) => ({ query: `?externePartnerId=${w.partners.targetExternalId}` }), rule: (c) => (c === 'partnerAbove' ? 'allowed' : 'isolated') },
  GetPartner: { attack: target(), rule: hierarchy },
  PatchPartner: { attack: target({ telefonnummer: '030 666' }), rule: hierarchy },
  GetKontaktdaten: { attack: target(), rule: hierarchy },
  GetRechte: { attack: target(), rule: hierarchy },
  PatchRechte: { attack: target({ baufismart: { baufiSmartNutzen: true } }), rule: hierarchy },
  PostRechte: { attack: target({ baufismart: { baufiSmartNutzen: true } }), rule: hierarchy },
  CreatePartner: { attack: target({ typ: 'PERSON', vorname: 'Intruder', nachname: 'Child' }), rule: hierarchy },
  ListUntergeordnete: { attack: target(), rule: hierarchy },
  GetPartnerkennzeichen: { attack: target(), rule: hierarchy },
  GetAdministrierbare: { attack: target(), rule: hierarchy },
  GetUebernehmbare: { attack: target(), rule: hierarchy },
  GetLizenzen: { attack: target(), rule: hierarchy },
  GetUebernahmeRecht: { attack: (w) => ({ params: { partnerId: w.partners.target, target: w.partners.child } }), rule: hierarchy },
  SetUebernahmeRecht: { attack: (w) => ({ params: { partnerId: w.partners.target, target: w.partners.child } }), rule: hierarchy },
  GetZugang: { attack: target(), rule: hierarchy },
  CreateZugang: { attack: target({ identityProviderBenutzername: 'matrix.idp' }), rule: hierarchy },
  PatchZugang: { attack: target({ identityProviderBenutzername: 'matrix.idp.2' }), rule: hierarchy },
  GetPartnerPfad: { attack: target(), rule: hierarchy },
  MovePartner: { attack: (w) => ({ params: { partnerId: w.partners.target }, body: { partnerId: w.partners.beside } }), legit: (w) => ({ params: { partnerId: w.partners.target }, body: { partnerId: w.partners.lead } }), rule: hierarchy },
  // The partner write side (issue 10): attackers try to give themselves rights on the target; LEAD acts on TARGET and CHILD.
  SetEinstellungsrecht: { attack: (w) => ({ params: { partnerId: w.partners.beside, target: w.partners.target } }), legit: (w) => ({ params: { partnerId: w.partners.target, target: w.partners.child } }), rule: hierarchy },
  RevokeEinstellungsrecht: { attack: (w) => ({ params: { partnerId: w.partners.locked, target: w.partners.target } }), legit: (w) => prepared(w, 'PUT', `/v2/partner/${w.partners.target}/einstellungsrechtFuer/${w.partners.child}`, { partnerId: w.partners.target, target: w.partners.child }), rule: hierarchy },
  ListHandelsbeziehungen: { attack: target(), rule: hierarchy },
  AddHandelsbeziehung: { attack: (w) => ({ params: { partnerId: w.partners.beside, target: w.partners.target } }), legit: (w) => ({ params: { partnerId: w.partners.target, target: w.partners.child } }), rule: hierarchy },
  RemoveHandelsbeziehung: { attack: (w) => ({ params: { partnerId: w.partners.target, target: w.partners.child } }), legit: (w) => prepared(w, 'PUT', `/v2/partner/${w.partners.target}/handelsbeziehungen/${w.partners.child}`, { partnerId: w.partners.target, target: w.partners.child }), rule: hierarchy },
  // The token is the proof: refused callers send a made-up one; LEAD activates a fresh person's Zugang with its mail's token.
  ActivateZugang: { attack: target({ activationToken: 'A'.repeat(43) }), legit: (w) => freshActivation(w), rule: hierarchy },
  SetPartnerkennzeichen: { attack: target({ allianzVertreterNummer: 'hijacked' }), legit: target({ allianzVertreterNummer: '01/012/0123' }), rule: hierarchy },
  // Switching a licence on needs it held (LEAD holds none); switching off needs the Einstellungsrecht only.
  SetLizenz: { attack: (w) => ({ params: { partnerId: w.partners.target, lizenz: 'europaceOne' }, body: { aktiv: true } }), legit: (w) => ({ params: { partnerId: w.partners.target, lizenz: 'europaceOne' }, body: { aktiv: false } }), rule: hierarchy },
  // Profile: the guest's own profile, the owner's object `obj` and its share.
  GetMyProfile: { attack: () => ({}), rule: me },
  ListPartnerData: { attack: () => ({}), rule: me },
  GetPartnerData: { attack: () => ({ params: { name: 'obj' } }), rule: me },
  // The data API of every entity type (decision 0304): `obj` through its `PartnerData` address.
  ListData: { attack: () => ({ params: { entityType: 'PartnerData' } }), rule: me },
  GetData: { attack: () => ({ params: { entityType: 'PartnerData', name: 'obj' } }), rule: me },
  PutData: { attack: () => ({ params: { entityType: 'PartnerData', name: 'obj' }, body: { secret: 'overwritten' } }), legit: () => ({ params: { entityType: 'PartnerData', name: 'via-data' }, body: { n: 1 } }), rule: me },
  DeleteData: {
    attack: () => ({ params: { entityType: 'PartnerData', name: 'obj' } }),
    legit: async (w, caller) => {
      await call('PUT', '/profile/v1/data/PartnerData/scratch-del', { token: w.callers[caller].token, headers: w.callers[caller].headers, body: { n: 1 } });
      return { params: { entityType: 'PartnerData', name: 'scratch-del' } };
    },
    rule: me,
  },
  ListShares: { attack: () => ({}), rule: me },
  ExportMyProfile: { attack: () => ({}), rule: meThroughPortal },
  GetMyAccess: { attack: () => ({}), rule: meThroughPortal },
  GetProfileSettings: { attack: (w) => ({ params: { tenant: w.tenant } }), rule: tenantOnly },
  PutProfileSettings: { attack: (w) => ({ params: { tenant: w.tenant }, body: { sharedEntityTypes: ['PartnerData', 'Person'] } }), legit: (w) => ({ params: { tenant: w.tenant }, body: { sharedEntityTypes: [] } }), rule: tenantOnly },
  PutPartnerData: { attack: () => ({ params: { name: 'obj' }, body: { secret: 'overwritten' } }), legit: () => ({ params: { name: 'obj' }, body: { secret: 'rewritten by its owner' } }), rule: me },
  SharePartnerData: { attack: () => ({ params: { name: 'obj' } }), rule: me },
  // Importing a share is what a share is for: any guest of the tenant may (the owner's own import is refused).
  ImportSharedPartnerData: { attack: (w) => ({ params: { sharingIdentifier: w.owner.sharingIdentifier } }), rule: (c) => (c === 'otherGuest' ? 'allowed' : OWNER_SIDE.includes(c) ? 'owner' : 'isolated') },
  WithdrawPartnerDataShare: { attack: () => ({ params: { name: 'obj' } }), rule: me },
  DeletePartnerData: { attack: () => ({ params: { name: 'obj' } }), rule: me },
  EndMyRelation: { attack: (w) => ({ params: { partnerId: w.profile.partnerA } }), rule: me },
  // The guest's own withdrawal and deletion (decision 0307): attacks name the owner's active share (other guests: 404,
  // or their own copy of it); the owner side, through any app, withdraws a fresh share and deletes a fresh copy.
  WithdrawMyShare: { attack: (w) => ({ params: { sharingIdentifier: w.owner.sharingIdentifier } }), legit: freshShareOfOwner, rule: me },
  DeleteMyImportedCopies: { attack: (w) => ({ params: { sharingIdentifier: w.owner.sharingIdentifier } }), legit: freshCopyOfOwner, rule: me },
  PutMyProfile: { attack: () => ({ body: { givenName: 'Mallory' } }), legit: () => ({ body: { givenName: 'Olga' } }), rule: me },
  EraseMyProfile: { attack: () => ({}), rule: me },
  // Notifications (issue 13): a partner acts only on its own subscriptions (keys from its token, never the request):
  // attacks name a subscription id it does not hold, or an endpoint the SSRF guard refuses; the operator names one in full.
  ...notificationRows(),
  // The partner's CRM (issue 13, docs/crm.md): a partner reads only guests related to it (no matrix partner is related to the
  // owner: 404 or its own empty lists) and acknowledges only its own purges with its own signature (unsigned: 401).
  ...crmRows(),
};

function crmRows(): Record<string, Row> {
  const isolated = (): Outcome => 'isolated';
  const purge = { purgeId: '3c1d7e2a-5b4f-4a6e-8c9d-0e1f2a3b4c5d' };
  return {
    ListCrmGuests: { attack: () => ({}), rule: isolated },
    ListCrmChanges: { attack: () => ({ query: `?changedSince=${new Date(Date.now() - 86_400_000).toISOString()}` }), rule: isolated },
    GetCrmGuestData: { attack: (w) => ({ params: { guest: w.owner.sub, entityType: 'PartnerData' } }), rule: () => 'denied' },
    GetCrmGuestItem: { attack: (w) => ({ params: { guest: w.owner.sub, entityType: 'PartnerData', itemId: '6f1c2e0a-8a55-4b8e-9d3a-0c6f3d1f2b11' } }), rule: () => 'denied' },
    ListCrmPurges: { attack: () => ({}), rule: isolated },
    AcknowledgeCrmPurge: { attack: () => ({ params: purge, body: purge, headers: { 'mydata-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` } }), rule: isolated },
    // The guest's own purges name every partner the guest left: the platform's pages only, as export and access (attack M2).
    ListMyPurges: { attack: () => ({}), rule: meThroughPortal },
  };
}

function notificationRows(): Record<string, Row> {
  const subscription = { subscriptionId: '0b7e6c1a-3f0e-4c1b-9d7e-5a2f1c3b4d5e' };
  const isolated = (): Outcome => 'isolated';
  const operator = (w: MatrixWorld): Request => ({ params: { tenant: w.tenant, partnerId: w.partners.target, ...subscription } });
  return {
    CreateSubscription: { attack: () => ({ body: { url: 'http://169.254.169.254/latest/meta-data', entityTypes: ['PartnerData'] } }), rule: isolated },
    ListSubscriptions: { attack: () => ({}), rule: isolated },
    GetSubscription: { attack: () => ({ params: subscription }), rule: isolated },
    ChangeSubscription: { attack: () => ({ params: subscription, body: { url: 'http://10.0.0.1/' } }), rule: isolated },
    DeleteSubscription: { attack: () => ({ params: subscription }), rule: isolated },
    RotateSubscriptionSecret: { attack: () => ({ params: subscription }), rule: isolated },
    ListSubscriptionDeadLetters: { attack: () => ({ params: subscription }), rule: isolated },
    RedriveSubscriptionDeadLetters: { attack: () => ({ params: subscription }), rule: isolated },
    OperatorListDeadLetters: { attack: operator, rule: isolated },
    OperatorRedriveDeadLetters: { attack: operator, rule: isolated },
  };
}

function consentRef2() {
  return (w: MatrixWorld): Request => ({ params: consentRef(w) });
}
/** LEAD creates a person with a Zugang waiting for activation; the request carries the token of its activation mail. */
async function freshActivation(w: MatrixWorld): Promise<Request> {
  const token = w.callers.partnerAbove.token;
  const made = await call('POST', `/v2/partner/${w.partners.lead}/untergeordnete`, { token, body: { typ: 'PERSON', vorname: 'Ada', nachname: 'Activation' } });
  const partnerId = made.body.partnerId as string;
  await call('POST', `/v2/partner/${partnerId}/zugang?sendEmail=true`, { token, body: { benutzername: `ada.${partnerId.toLowerCase()}.${w.tenant}@example.org` } });
  const activationToken = await waitFor(async () => {
    const event = (await busEvents()).find((e) => e['detail-type'] === 'ZugangActivationRequested' && e.detail.partnerId === partnerId);
    return event?.detail.activationToken as string | undefined;
  }, { timeoutMs: 15_000 });
  return { params: { partnerId }, body: { activationToken } };
}
/** LEAD first sets up what the legitimate request removes, then the request. */
async function prepared(w: MatrixWorld, method: string, path: string, params: Record<string, string>): Promise<Request> {
  const set = await call(method, path, { token: w.callers.partnerAbove.token });
  if (set.status >= 300) throw new Error(`prepare ${method} ${path}: ${set.status} ${set.text}`);
  return { params };
}
/** A new object of the owner's (through the owner's app), shared: what the owner side withdraws legitimately. */
async function freshShareOfOwner(w: MatrixWorld): Promise<Request> {
  const name = `mine-${Math.random().toString(36).slice(2, 10)}`;
  const token = w.callers.owner.token;
  await call('PUT', `/profile/v1/partnerdata/${name}`, { token, body: { legit: true } });
  const shared = await call('PUT', `/profile/v1/partnerdata/${name}/share`, { token });
  return { params: { sharingIdentifier: shared.body.sharingIdentifier as string } };
}

/** A friend's share the owner imported (through the owner's app): what the owner side deletes legitimately. */
async function freshCopyOfOwner(w: MatrixWorld): Promise<Request> {
  const friend = await w.profile.guest();
  const token = await friend.token();
  await call('PUT', '/profile/v1/partnerdata/gift', { token, body: { legit: true } });
  const { sharingIdentifier } = (await call('PUT', '/profile/v1/partnerdata/gift/share', { token })).body as { sharingIdentifier: string };
  await call('PUT', `/profile/v1/import/${sharingIdentifier}`, { token: w.callers.owner.token });
  return { params: { sharingIdentifier } };
}

function target(body?: unknown) {
  return (w: MatrixWorld): Request => ({ params: { partnerId: w.partners.target }, body });
}

/** The expected outcome of one caller on one route: the declaration first, then the resource rule. */
function expected(route: RouteDefinition, row: Row, caller: CallerId, w: MatrixWorld): Expected {
  const { kind, foreign } = w.callers[caller];
  if (kind === 'invalid') return 401;
  if (kind === 'noScope') return route.scopes.length > 0 ? 403 : route.callers.includes('guest') ? 'isolated' : 403;
  if (!route.callers.includes(kind)) return 403;
  // Every guest token of the matrix is a partner app's (it carries `partner_id`).
  if (route.guestVia === 'platform-pages' && kind === 'guest') return 'platformPagesOnly';
  if (route.path.includes('{tenant}') && foreign && kind !== 'system') return 404;
  // No {tenant} in the path: the token's own tenant applies, where the owner's resources do not exist.
  if (foreign) return row.rule === everybody ? 'allowed' : kind === 'partner' ? row.rule(caller) : 'isolated';
  return row.rule(caller);
}

function pathOf(route: RouteDefinition, request: Request): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = name === 'tenant' ? (request.params?.tenant ?? w.tenant) : request.params?.[name];
    if (value === undefined) throw new Error(`${route.id}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return path + (request.query ?? '');
}

/** The owner's state, read back by its legitimate readers. */
async function ownerState(w: MatrixWorld): Promise<Record<string, unknown>> {
  const { callers, tenant, owner, partners } = w;
  const read = async (path: string, who: CallerId, headers: Record<string, string> = {}) => {
    const response = await call('GET', path, { token: callers[who].token, headers });
    return [response.status, withoutVolatile(response.body)];
  };
  const c = `/profile-consent/v1/${tenant}`;
  const [consents, history, referenceView, schemas, settings, me, obj, shares, partner, rechte, zugang, children, pfad, uebernahme, consentClasses] = await Promise.all([
    read(`${c}/consents/${owner.ref}`, 'tenantAdmin'),
    read(`${c}/consents/${owner.ref}/history`, 'tenantAdmin'),
    read(`${c}/consentReferences/${owner.ref}`, 'tenantAdmin'),
    read(`${c}/schemas`, 'tenantAdmin'),
    read(`/profile/v1/tenants/${tenant}/settings`, 'tenantAdmin'),
    read('/profile/v1/me', 'owner'),
    read('/profile/v1/partnerdata/obj', 'owner'),
    read('/profile/v1/shares', 'owner'),
    read(`/v2/partner/${partners.target}`, 'partnerAbove'),
    read(`/v2/partner/${partners.target}/rechte`, 'partnerAbove'),
    read(`/v2/partner/${partners.target}/zugang`, 'partnerAbove'),
    read(`/v2/partner/${partners.target}/untergeordnete`, 'partnerAbove'),
    read(`/v2/partner/${partners.target}/pfad`, 'partnerAbove'),
    read(`/v2/partner/${partners.target}/uebernahmeRechtFuer/${partners.child}`, 'partnerAbove'),
    read('/profile-consent/v1/consentClasses?pageSize=1000', 'tenantAdmin'),
  ]);
  const history2 = history as [number, { entries?: unknown[] }];
  const classes = consentClasses as [number, Array<{ class?: string; id?: string; title?: string }>];
  return {
    consents, historyLength: history2[1]?.entries?.length, referenceView, schemas, settings, me, obj, shares,
    partner, rechte, zugang, children, pfad, uebernahme,
    partnerDataClass: JSON.stringify(classes[1]?.find((k) => JSON.stringify(k).includes('"PartnerData"'))),
  };
}

/** Trace ids, and read times that a mere read refreshes, are not the owner's state. */
function withoutVolatile(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'traceId' || /(lastSeen|At)$/.test(key) ? undefined : v));
}

let w: MatrixWorld;
/** A reference of the attackers' own, which they try to merge into the owner's. */
let attackerRef: string;
const found: Array<{ route: string; caller: CallerId; expected: Expected; status: number; leaked: boolean }> = [];
let sent = 0;

beforeAll(async () => {
  w = await matrixWorld();
  attackerRef = (await w.disposableReference()).ref;
  // A schema the legitimate DeleteMetamodelSchema removes.
  await call('PUT', `/profile-consent/v1/${w.tenant}/schemas/MatrixScratch`, { token: w.callers.tenantAdmin.token, body: scratch });
  // Its copy reaches the owner's consent rows asynchronously (decision 0202): wait, so it is not taken for a change.
  await waitFor(async () => {
    const consents = await call('GET', `/profile-consent/v1/${w.tenant}/consents/${w.owner.ref}`, { token: w.callers.tenantAdmin.token });
    return JSON.stringify(consents.body).includes('MatrixScratch');
  });
}, 120_000);

/** Routes run in catalog order, except that the owner's destructive ones come last. */
const LAST = ['DeleteConsentReference', 'PutPartnerData', 'SharePartnerData', 'ImportSharedPartnerData', 'WithdrawMyShare', 'DeleteMyImportedCopies', 'WithdrawPartnerDataShare', 'DeletePartnerData', 'EndMyRelation', 'PutMyProfile', 'EraseMyProfile'];
const ordered = [...catalog.routes].sort((a, b) => LAST.indexOf(a.id) - LAST.indexOf(b.id));

function send(route: RouteDefinition, caller: CallerId, request: Request): Promise<ApiResponse> {
  sent += 1;
  const credentials = w.callers[caller];
  return call(route.method, pathOf(route, request), { token: credentials.token, headers: { ...credentials.headers, ...(request.headers ?? {}) }, body: request.body });
}

describe('the authorisation matrix: every route of the catalog × every kind of caller', () => {
  it('has a row for every route of the catalog, and none for a route that does not exist', () => {
    expect(catalog.routes.filter((route) => !rows[route.id]).map((route) => route.id)).toEqual([]);
    expect(Object.keys(rows).filter((id) => !catalog.routes.some((route) => route.id === id))).toEqual([]);
  });

  it.each(ordered.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', async (_key, route) => {
    const row = rows[route.id];
    if (!row) throw new Error(`no matrix row for ${route.id}`);
    const before = await ownerState(w);
    const plan = CALLERS.map((caller) => ({ caller, outcome: expected(route, row, caller, w) }));
    // Everybody who must not act on the owner's resource, in parallel, with the most harmful request.
    const refused = plan.filter((p) => p.outcome !== 'allowed' && p.outcome !== 'owner');
    const attack = row.attack(w);
    const answers = await Promise.all(refused.map(async (p) => ({ ...p, response: await send(route, p.caller, attack) })));
    for (const { caller, outcome, response } of answers) {
      const leaked = w.secrets.some((secret) => response.text.includes(secret));
      found.push({ route: route.id, caller, expected: outcome, status: response.status, leaked });
      const ok = typeof outcome === 'number'
        ? response.status === outcome
        : outcome === 'denied'
          ? [403, 404].includes(response.status)
          : outcome === 'platformPagesOnly'
            ? response.status === 403 && response.body?.code === 'PlatformPagesOnly'
            : response.status < 500;
      expect({ caller, status: response.status, ok, leaked }).toEqual({ caller, status: response.status, ok: true, leaked: false });
      if (response.status >= 400) expect({ caller, body: response.body }).toEqual({ caller, body: expect.objectContaining({ message: expect.any(String) }) });
    }
    // Nothing the refused callers sent changed anything of the owner's.
    expect(await ownerState(w)).toEqual(before);
    // Then the admitted callers, one after the other, with a legitimate request.
    for (const { caller, outcome } of plan.filter((p) => p.outcome === 'allowed' || p.outcome === 'owner')) {
      const request = row.legit ? await row.legit(w, caller) : attack;
      const response = await send(route, caller, request);
      found.push({ route: route.id, caller, expected: outcome, status: response.status, leaked: false });
      const ok = outcome === 'allowed' ? response.status >= 200 && response.status < 300 : response.status < 500;
      expect({ caller, outcome, status: response.status, ok, body: ok ? undefined : response.body }).toEqual({ caller, outcome, status: response.status, ok: true, body: undefined });
    }
    await row.settle?.(w);
  }, 60_000);

  afterAll(() => {
    const leaks = found.filter((f) => f.leaked || (f.expected !== 'allowed' && f.expected !== 'owner' && f.expected !== 'isolated' && f.status < 400));
    console.info(`authorisation matrix: ${catalog.routes.length} routes × ${CALLERS.length} caller kinds = ${catalog.routes.length * CALLERS.length} cells, ${sent} requests, ${leaks.length} leaks`);
  });
});
