import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { apiUrl } from '../support/api.js';

/**
 * The local issuer's OpenID Connect surface (decision 0501) over HTTP: what oidc-client-ts relies on, and
 * the refusals — a wrong verifier, a reused code, a foreign redirect — as clear 4xx JSON, never a 500.
 */
const verifier = () => randomBytes(32).toString('base64url');
const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');
const redirect = () => `${apiUrl()}/portal/`;

async function authorize(overrides: Record<string, string> = {}, v = verifier()) {
  const form = new URLSearchParams({
    response_type: 'code', client_id: 'mydata-portal', redirect_uri: redirect(), state: 's-1',
    code_challenge: challengeOf(v), code_challenge_method: 'S256', scope: 'openid', tenant: 'mycomicsshop', sub: 'oidc-guest', given_name: 'Olga', ...overrides,
  });
  const response = await fetch(`${apiUrl()}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return { response, verifier: v };
}

const token = (fields: Record<string, string>) =>
  fetch(`${apiUrl()}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'mydata-portal', redirect_uri: redirect(), ...fields }) });

test('discovery names the endpoints on the gateway and only code + PKCE S256', async () => {
  const document = await (await fetch(`${apiUrl()}/.well-known/openid-configuration`)).json();
  expect(document).toMatchObject({
    issuer: 'https://issuer.mydata.local/',
    authorization_endpoint: `${apiUrl()}/oauth2/authorize`,
    token_endpoint: `${apiUrl()}/oauth2/token`,
    jwks_uri: `${apiUrl()}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  });
});

test('a code becomes a platform-pages guest token once, with the right verifier only', async () => {
  const { response, verifier: v } = await authorize();
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(redirect());
  expect(location.searchParams.get('state')).toBe('s-1');
  const code = location.searchParams.get('code')!;

  const wrong = await token({ code, code_verifier: verifier() });
  expect(wrong.status).toBe(400);
  expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
  // The failed attempt used the code up: a code is good for one exchange, right or wrong.
  const again = await authorize();
  const code2 = new URL(again.response.headers.get('location')!).searchParams.get('code')!;
  const issued = await token({ code: code2, code_verifier: again.verifier });
  expect(issued.status).toBe(200);
  const body = (await issued.json()) as { access_token: string };
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  const jwks = createLocalJWKSet((await (await fetch(`${apiUrl()}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
  const { payload } = await jwtVerify(body.access_token, jwks, { issuer: 'https://issuer.mydata.local/', audience: 'mydata-api' });
  expect(payload).toMatchObject({ principal: 'guest', tenant: 'mycomicsshop', sub: 'oidc-guest', client_id: 'mydata-portal', given_name: 'Olga' });
  expect(payload.partner_id).toBeUndefined();
  expect(String(payload.scope).split(' ').sort()).toEqual(['profile_consent_manage', 'profile_consent_view', 'profile_data_read', 'profile_data_share', 'profile_data_write']);

  const replay = await token({ code: code2, code_verifier: again.verifier });
  expect(replay.status).toBe(400);
  expect(await replay.json()).toMatchObject({ error: 'invalid_grant', message: expect.stringContaining('used') });
  expect(v).not.toBe(again.verifier);
});

test('refuses other clients, foreign redirects, plain PKCE and unusable guest ids with 4xx', async () => {
  const expectJson400 = async (response: Response, error: string) => {
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ error });
  };
  await expectJson400((await authorize({ client_id: 'someone-else' })).response, 'invalid_request');
  await expectJson400((await authorize({ redirect_uri: 'https://evil.example/portal/' })).response, 'invalid_request');
  await expectJson400((await authorize({ code_challenge_method: 'plain' })).response, 'invalid_request');
  await expectJson400(await token({ code: 'no-such-code', code_verifier: verifier() }), 'invalid_grant');
  await expectJson400(await token({ code: 'x', code_verifier: 'y', grant_type: 'password' }), 'unsupported_grant_type');
  const badGuest = (await authorize({ sub: 'a b/c' })).response;
  expect(badGuest.status).toBe(400);
  expect(await badGuest.text()).toContain('The guest id is 1 to 128 letters');
  const page = await fetch(`${apiUrl()}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'mydata-portal', redirect_uri: redirect(), code_challenge: challengeOf(verifier()), code_challenge_method: 'S256' })}`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(await page.text()).not.toContain('<script');
});
