import { randomBytes } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadIssuer } from '../../../infra/local/issuer.js';
import { call, onboardTenant, tokenFor, uniqueTenant, waitFor } from '../../support/api.js';
import { ALL_RECHTE, ALL_SCOPES as PARTNER_SCOPES, grantEinstellungsrecht } from '../partner/support.js';
import { ALL_PROFILE, profileWorld, type World } from '../profile/support.js';
import { CONSENT_MANAGE, CONSENT_VIEW, scopeClaim } from '../../../shared/platform/scopes.js';

/**
 * The world the generated authorisation matrix runs in: one tenant with an owner guest who has a
 * consent reference (and its token), a profile, a shared PartnerData object; a partner tree around a
 * target partner; and every kind of caller of the issue (issue 9), each as a token plus the headers an
 * attacker would add (the owner's `hybris-user`, the owner's reference token).
 */
export const CONSENT = scopeClaim(CONSENT_VIEW, CONSENT_MANAGE);
export const EVERY_SCOPE = `${CONSENT} ${ALL_PROFILE} ${PARTNER_SCOPES}`;

export const CALLERS = [
  'owner',
  'ownerViaOtherPartner',
  'ownerViaOtherAppOfPartner',
  'otherGuest',
  'foreignGuestSameSub',
  'anonymous',
  'anonymousWithToken',
  'partnerAbove',
  'partnerBelow',
  'partnerBeside',
  'partnerLocked',
  'foreignPartner',
  'foreignAdmin',
  'tenantAdmin',
  'system',
  'noScope',
  'expired',
  'otherKey',
  'algNone',
  'noToken',
] as const;
export type CallerId = (typeof CALLERS)[number];

export interface Credentials {
  readonly token?: string;
  readonly headers: Record<string, string>;
  /** The principal kind the token claims, or `invalid` for tokens the gateway must refuse (401). */
  readonly kind: 'guest' | 'anonymous' | 'partner' | 'tenant' | 'system' | 'invalid' | 'noScope';
  readonly foreign: boolean;
}

export interface MatrixWorld {
  readonly tenant: string;
  readonly foreignTenant: string;
  readonly profile: World;
  readonly owner: { sub: string; ref: string; refToken: string; sharingIdentifier: string };
  readonly partners: { root: string; org: string; lead: string; target: string; child: string; beside: string; locked: string; targetExternalId: string };
  /** Strings only the owner's (and the target partner's) legitimate readers may ever see. */
  readonly secrets: string[];
  readonly callers: Record<CallerId, Credentials>;
  /** A fresh anonymous reference of the tenant, active, with its token (for legitimate deletions and merges). */
  disposableReference(): Promise<{ ref: string; refToken: string }>;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function createPartner(token: string, parent: string, body: Record<string, unknown>): Promise<string> {
  const response = await call('POST', `/v2/partner/${parent}/untergeordnete`, { token, body });
  if (response.status !== 201) throw new Error(`create below ${parent}: ${response.status} ${response.text}`);
  return response.body.partnerId as string;
}

export async function matrixWorld(): Promise<MatrixWorld> {
  const [profile, foreignTenant] = await Promise.all([profileWorld(), (async () => {
    const name = uniqueTenant('mx-foreign');
    await onboardTenant(name);
    return name;
  })()]);
  const { tenant } = profile;
  const consentPath = `/profile-consent/v1/${tenant}`;

  // The owner: a reference made through consent's own endpoint, keeping the token its creation answers.
  const sub = `owner-${randomBytes(4).toString('hex')}`;
  const ownerConsent = () => tokenFor({ principal: 'guest', tenant, sub, scope: CONSENT });
  const created = await call('POST', `${consentPath}/consentReferences`, { token: await ownerConsent(), body: {} });
  if (created.status !== 201) throw new Error(`owner reference: ${created.status} ${created.text}`);
  const ref = created.body.id as string;
  const refToken = created.body.consentReferenceToken as string;
  await waitFor(async () => (await call('GET', `${consentPath}/consentReferences/${ref}`, { token: await ownerConsent() })).body?.status === 'active');
  const guestToken = (o: { partner?: string; client?: string; scope?: string; tenant?: string; sub?: string } = {}) =>
    tokenFor({ principal: 'guest', tenant: o.tenant ?? tenant, sub: o.sub ?? sub, partner: o.partner ?? profile.partnerA, client: o.client ?? 'app-a', scope: o.scope ?? EVERY_SCOPE });
  const owner = await guestToken();
  const secret = `OWNER-SECRET-${randomBytes(4).toString('hex')}`;
  for (const [method, path, body] of [['PUT', '/profile/v1/me', { givenName: secret }], ['PUT', '/profile/v1/partnerdata/obj', { secret }]] as const) {
    const response = await call(method, path, { token: owner, body });
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${response.text}`);
  }
  const shared = await call('PUT', '/profile/v1/partnerdata/obj/share', { token: owner });
  if (shared.status >= 300) throw new Error(`share: ${shared.status} ${shared.text}`);
  const consents = await call('GET', `${consentPath}/consents/${ref}`, { token: await ownerConsent() });
  const grantBlobs = (consents.body as Array<{ grantBlob: string | null }>).map((c) => c.grantBlob).filter((b): b is string => !!b);

  // The partner tree: root > ORG > LEAD (all rights) > TARGET > CHILD; BESIDE and LOCKED (all rights) below ORG.
  const partnerOf = (partnerId: string, onTenant = tenant) =>
    tokenFor({ principal: 'partner', tenant: onTenant, partner: partnerId, sub: `user-${partnerId}`, client: 'app-1', scope: EVERY_SCOPE });
  const admin = await partnerOf(profile.partnerB);
  const root = profile.partnerA;
  const org = await createPartner(admin, root, { typ: 'ORGANISATION', name: 'Matrix Vertrieb' });
  const lead = await createPartner(admin, org, { typ: 'PERSON', vorname: 'Lea', nachname: 'Lead', rechte: ALL_RECHTE });
  const targetName = `Target-${randomBytes(4).toString('hex')}`;
  const target = await createPartner(admin, lead, { typ: 'PERSON', vorname: 'Tom', nachname: targetName, externePartnerId: `mx-${targetName}` });
  const child = await createPartner(admin, target, { typ: 'PERSON', vorname: 'Kim', nachname: 'Child' });
  const beside = await createPartner(admin, org, { typ: 'PERSON', vorname: 'Ben', nachname: 'Beside', rechte: ALL_RECHTE });
  const locked = await createPartner(admin, org, { typ: 'PERSON', vorname: 'Lou', nachname: 'Locked', rechte: ALL_RECHTE });
  // LOCKED would manage TARGET (an explicit Einstellungsrecht) were it not locked.
  await grantEinstellungsrecht(tenant, locked, target);
  const lockedAnswer = await call('PATCH', `/v2/partner/${locked}`, { token: admin, body: { gesperrt: true } });
  if (lockedAnswer.status !== 200) throw new Error(`lock: ${lockedAnswer.status} ${lockedAnswer.text}`);

  const issuer = await loadIssuer(process.env.MYDATA_ISSUER_KEY_FILE);
  const { privateKey } = await generateKeyPair('ES256');
  const kid = issuer.jwks.keys[0].kid as string;
  const otherKey = await new SignJWT({ principal: 'guest', tenant, sub, partner_id: profile.partnerA, client_id: 'app-a', scope: EVERY_SCOPE })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const now = Math.floor(Date.now() / 1000);
  const algNone = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ principal: 'system', sub: 'x', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now, exp: now + 3600, scope: EVERY_SCOPE })}.`;

  const attack = { 'hybris-user': sub, 'consent-reference-token': refToken };
  const credentials = (token: string | undefined, kind: Credentials['kind'], options: { foreign?: boolean; headers?: Record<string, string> } = {}): Credentials => ({
    token,
    kind,
    foreign: options.foreign ?? false,
    headers: options.headers ?? {},
  });
  const callers: Record<CallerId, Credentials> = {
    owner: credentials(owner, 'guest'),
    ownerViaOtherPartner: credentials(await guestToken({ partner: profile.partnerB, client: 'app-b' }), 'guest'),
    ownerViaOtherAppOfPartner: credentials(await guestToken({ client: 'app-a2' }), 'guest'),
    otherGuest: credentials(await guestToken({ sub: `other-${randomBytes(4).toString('hex')}` }), 'guest', { headers: { 'hybris-user': sub } }),
    foreignGuestSameSub: credentials(await guestToken({ tenant: foreignTenant }), 'guest', { foreign: true, headers: attack }),
    anonymous: credentials(await tokenFor({ principal: 'anonymous', tenant, scope: `${CONSENT_VIEW} ${ALL_PROFILE}` }), 'anonymous', { headers: { 'hybris-user': sub } }),
    anonymousWithToken: credentials(await tokenFor({ principal: 'anonymous', tenant, scope: `${CONSENT_VIEW} ${ALL_PROFILE}` }), 'anonymous', { headers: attack }),
    partnerAbove: credentials(await partnerOf(lead), 'partner', { headers: attack }),
    partnerBelow: credentials(await partnerOf(child), 'partner', { headers: attack }),
    partnerBeside: credentials(await partnerOf(beside), 'partner', { headers: attack }),
    partnerLocked: credentials(await partnerOf(locked), 'partner', { headers: attack }),
    foreignPartner: credentials(await partnerOf(lead, foreignTenant), 'partner', { foreign: true, headers: attack }),
    foreignAdmin: credentials(await tokenFor({ principal: 'tenant', tenant: foreignTenant, scope: EVERY_SCOPE }), 'tenant', { foreign: true, headers: attack }),
    tenantAdmin: credentials(await tokenFor({ principal: 'tenant', tenant, scope: EVERY_SCOPE }), 'tenant', { headers: { 'hybris-user': sub } }),
    system: credentials(await tokenFor({ principal: 'system', sub: 'matrix-operator', scope: EVERY_SCOPE }), 'system', { headers: attack }),
    noScope: credentials(await guestToken({ scope: 'unrelated_scope' }), 'noScope', { headers: attack }),
    expired: credentials(await tokenFor({ principal: 'guest', tenant, sub, partner: profile.partnerA, client: 'app-a', scope: EVERY_SCOPE, expiresIn: Math.floor(Date.now() / 1000) - 60 }), 'invalid'),
    otherKey: credentials(otherKey, 'invalid'),
    algNone: credentials(algNone, 'invalid'),
    noToken: credentials(undefined, 'invalid'),
  };

  async function disposableReference() {
    const anonymous = await tokenFor({ principal: 'anonymous', tenant, scope: CONSENT_VIEW });
    const made = await call('POST', `${consentPath}/consentReferences`, { token: anonymous, body: {} });
    if (made.status !== 201) throw new Error(`disposable reference: ${made.status} ${made.text}`);
    const headers = { 'consent-reference-token': made.body.consentReferenceToken as string };
    await waitFor(async () => (await call('GET', `${consentPath}/consentReferences/${made.body.id}`, { token: anonymous, headers })).body?.status === 'active');
    return { ref: made.body.id as string, refToken: made.body.consentReferenceToken as string };
  }

  return {
    tenant,
    foreignTenant,
    profile,
    owner: { sub, ref, refToken, sharingIdentifier: shared.body.sharingIdentifier as string },
    partners: { root, org, lead, target, child, beside, locked, targetExternalId: `mx-${targetName}` },
    secrets: [secret, targetName, ...grantBlobs],
    callers,
    disposableReference,
  };
}
