import { request } from 'node:http';

/**
 * Attack finding L6 (the local issuer of `npm start`, which the portal signs in with): the origin of the OIDC
 * surface was taken from the request's `Host` header, so `Host: evil.example` with a redirect to
 * `http://evil.example/portal/` got a sign-in code sent there, and discovery named evil.example's endpoints.
 * The origin is the gateway's own (configured) one; a foreign Host changes nothing.
 */
const api = () => new URL(process.env.MYDATA_API_URL!);

function send(method: string, path: string, host: string, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: api().hostname, port: api().port, method, path, headers: { host, ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const authorize = (redirect: string) =>
  new URLSearchParams({
    response_type: 'code',
    client_id: 'mydata-portal',
    redirect_uri: redirect,
    state: 's',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    scope: 'openid',
    tenant: 'mycomicsshop',
    sub: 'g-attack',
    given_name: 'Eve',
    family_name: 'Evil',
  }).toString();

describe("the local issuer's origin is its own, not the request's Host", () => {
  it('sends no code to a redirect on a foreign host, whatever Host says', async () => {
    const signIn = await send('POST', '/oauth2/authorize', 'evil.example', authorize('http://evil.example/portal/'));
    expect(signIn.status).toBe(400);
    expect(String(signIn.headers.location ?? '')).not.toContain('evil.example');
    const page = await send('GET', `/oauth2/authorize?${authorize('http://evil.example/portal/')}`, 'evil.example');
    expect(page.status).toBe(400);
  });

  it('still signs in with a redirect to its own portal (the client of the platform pages)', async () => {
    const own = `${api().origin}/portal/`;
    const signIn = await send('POST', '/oauth2/authorize', api().host, authorize(own));
    expect(signIn.status).toBe(302);
    expect(String(signIn.headers.location)).toMatch(new RegExp(`^${own.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?code=`));
  });

  it('names its own endpoints in discovery and in the portal configuration, whatever Host says', async () => {
    for (const path of ['/.well-known/openid-configuration', '/portal/config.json']) {
      const answer = await send('GET', path, 'evil.example');
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain('evil.example');
      expect(answer.text).toContain(api().origin);
    }
  });
});
