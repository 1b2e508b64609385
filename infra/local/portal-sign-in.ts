import { createHash, randomBytes } from 'node:crypto';
import { LOCAL_ISSUER, type LocalIssuer } from './issuer.js';
import { DEMO_TENANT } from './seed.js';
import type { PagesAnswer } from './portal.js';

/**
 * The local issuer's OpenID Connect surface (decision 0501): discovery, an authorize endpoint that renders
 * the development sign-in page, and a token endpoint that verifies the PKCE code verifier. The portal runs
 * the same oidc-client-ts code against it as against a tenant's identity provider in AWS; only the
 * configuration (authority, client id) differs. Anyone may sign in as any guest: it is a development issuer.
 */

/** The platform's own pages (the portal) as an OAuth client: a guest token without `partner_id` (decision 0501). */
export const PORTAL_CLIENT_ID = 'mydata-portal';
/** Everything the portal does: read and change the profile, share management, the guest's consents. */
export const PORTAL_SCOPES = ['profile_data_read', 'profile_data_write', 'profile_data_share', 'profile_consent_view', 'profile_consent_manage'];
/** Guests the development sign-in page offers with one click; any other id may be typed. */
export const DEMO_GUESTS = [
  { sub: 'demo-anna', givenName: 'Anna', familyName: 'Berger' },
  { sub: 'demo-ben', givenName: 'Ben', familyName: 'Nowak' },
] as const;

const CODE_LIFETIME_MS = 60_000;
const TOKEN_LIFETIME_S = 3600;
const GUEST_ID = /^[A-Za-z0-9._@-]{1,128}$/;
const TENANT = /^[a-z0-9][a-z0-9-]{1,62}$/;
const NAME = /^[\p{L}\p{M} .'-]{0,100}$/u;

interface PendingCode {
  readonly claims: Record<string, string>;
  readonly challenge: string;
  readonly redirectUri: string;
  readonly expires: number;
}

const codes = new Map<string, PendingCode>();
/** Codes nobody exchanged go when they expire, so abandoned sign-ins do not pile up in a long-running `npm start`. */
function forgetExpiredCodes(): void {
  for (const [key, value] of codes) if (value.expires < Date.now()) codes.delete(key);
}

const json = (status: number, body: unknown): PagesAnswer => ({
  status,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
});
/** OAuth errors carry `error` (RFC 6749) and the project's `message`. */
const oauthError = (status: number, error: string, description: string): PagesAnswer =>
  json(status, { error, error_description: description, message: `${error}: ${description}` });

export function discovery(origin: string): PagesAnswer {
  return json(200, {
    issuer: LOCAL_ISSUER,
    authorization_endpoint: `${origin}/oauth2/authorize`,
    token_endpoint: `${origin}/oauth2/token`,
    jwks_uri: `${origin}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: ['openid', ...PORTAL_SCOPES],
  });
}

/** The request the authorize endpoint accepts: the portal's client, a redirect back to this origin's portal, PKCE S256. */
function authorizeRequest(params: URLSearchParams, origin: string): { error?: string; fields: Record<string, string> } {
  const fields = Object.fromEntries(['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope', 'response_type'].map((k) => [k, params.get(k) ?? '']));
  if (fields.response_type !== 'code') return { error: 'response_type must be code', fields };
  if (fields.client_id !== PORTAL_CLIENT_ID) return { error: `unknown client_id (this issuer knows ${PORTAL_CLIENT_ID})`, fields };
  if (!fields.redirect_uri.startsWith(`${origin}/portal/`)) return { error: `redirect_uri must lie below ${origin}/portal/`, fields };
  if (fields.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(fields.code_challenge)) return { error: 'PKCE with code_challenge_method S256 is required', fields };
  return { fields };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The development sign-in page: a form, no script; the CSP allows only this origin's stylesheet. */
export function signInPage(params: URLSearchParams, origin: string, problem?: string): PagesAnswer {
  const { error, fields } = authorizeRequest(params, origin);
  if (error) return oauthError(400, 'invalid_request', error);
  const hidden = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`).join('');
  const demo = DEMO_GUESTS.map((g) => `<li><button type="submit" name="demo" value="${g.sub}">${escapeHtml(`${g.givenName} ${g.familyName}`)} <small>(${g.sub})</small></button></li>`).join('');
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Development sign-in · mydata</title><link rel="stylesheet" href="/portal/sign-in.css"></head>
<body><main>
<h1>Development sign-in</h1>
<p>This is the local issuer of <code>npm start</code>. Anyone may sign in here as any guest; in AWS the tenant's identity provider signs guests in.</p>
${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/oauth2/authorize">${hidden}
<h2>Sign in as a guest</h2>
<p><label for="tenant">Tenant</label><input id="tenant" name="tenant" value="${DEMO_TENANT}" required></p>
<p><label for="sub">Guest id</label><input id="sub" name="sub" autocomplete="username" required></p>
<p><label for="given_name">Given name</label><input id="given_name" name="given_name"></p>
<p><label for="family_name">Family name</label><input id="family_name" name="family_name"></p>
<p><button type="submit">Sign in</button></p>
</form>
<form method="post" action="/oauth2/authorize">${hidden}
<h2>Or one of the demo guests</h2><ul class="demo">${demo}</ul>
</form></main></body></html>`;
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...PAGE_SECURITY_HEADERS }, body };
}

/** The page's own security headers: only this origin, no inline code, no framing, forms post only here. */
export const PAGE_SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The form's answer: a code bound to the PKCE challenge and the redirect, then back to the portal. */
export function signIn(form: URLSearchParams, origin: string): PagesAnswer {
  const { error, fields } = authorizeRequest(form, origin);
  if (error) return oauthError(400, 'invalid_request', error);
  const demo = DEMO_GUESTS.find((g) => g.sub === form.get('demo'));
  const tenant = demo ? DEMO_TENANT : (form.get('tenant') ?? '').trim();
  const sub = demo?.sub ?? (form.get('sub') ?? '').trim();
  const givenName = demo?.givenName ?? (form.get('given_name') ?? '').trim();
  const familyName = demo?.familyName ?? (form.get('family_name') ?? '').trim();
  const problem = !TENANT.test(tenant) ? 'The tenant is a lower-case name such as mycomicsshop.'
    : !GUEST_ID.test(sub) ? 'The guest id is 1 to 128 letters, digits, . _ @ or -.'
    : !NAME.test(givenName) || !NAME.test(familyName) ? 'Names are letters, spaces, dots, apostrophes and hyphens.' : undefined;
  if (problem) return { ...signInPage(form, origin, problem), status: 400 };
  forgetExpiredCodes();
  const code = randomBytes(32).toString('base64url');
  const claims: Record<string, string> = { principal: 'guest', tenant, sub, client_id: PORTAL_CLIENT_ID, scope: PORTAL_SCOPES.join(' ') };
  if (givenName) claims.given_name = givenName;
  if (familyName) claims.family_name = familyName;
  codes.set(code, { claims, challenge: fields.code_challenge, redirectUri: fields.redirect_uri, expires: Date.now() + CODE_LIFETIME_MS });
  const target = new URL(fields.redirect_uri);
  target.searchParams.set('code', code);
  if (fields.state) target.searchParams.set('state', fields.state);
  return { status: 302, headers: { Location: target.toString(), 'Cache-Control': 'no-store' }, body: '' };
}

/** The token endpoint: one use per code, the verifier must hash to the challenge, the redirect must match. */
export async function exchangeCode(form: URLSearchParams, issuer: LocalIssuer): Promise<PagesAnswer> {
  if (form.get('grant_type') !== 'authorization_code') return oauthError(400, 'unsupported_grant_type', 'only authorization_code is supported');
  if (form.get('client_id') !== PORTAL_CLIENT_ID) return oauthError(400, 'invalid_client', `unknown client_id (this issuer knows ${PORTAL_CLIENT_ID})`);
  const code = form.get('code') ?? '';
  const pending = codes.get(code);
  codes.delete(code);
  forgetExpiredCodes();
  if (!pending || pending.expires < Date.now()) return oauthError(400, 'invalid_grant', 'the code is unknown, used or expired');
  if (form.get('redirect_uri') !== pending.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri differs from the authorize request');
  const verifier = form.get('code_verifier') ?? '';
  if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
    return oauthError(400, 'invalid_grant', 'the code_verifier does not match the code_challenge');
  }
  const accessToken = await issuer.sign(pending.claims, `${TOKEN_LIFETIME_S}s`);
  const { sub, given_name, family_name, tenant } = pending.claims;
  const idToken = await issuer.sign({ aud: PORTAL_CLIENT_ID, sub, tenant, given_name, family_name }, `${TOKEN_LIFETIME_S}s`);
  return json(200, { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, scope: `openid ${PORTAL_SCOPES.join(' ')}` });
}
