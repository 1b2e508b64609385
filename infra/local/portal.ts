import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildPortal, type PortalConfig, type PortalFiles } from '../../portal/build.js';
import type { LocalIssuer } from './issuer.js';
import { discovery, exchangeCode, PAGE_SECURITY_HEADERS, PORTAL_CLIENT_ID, PORTAL_SCOPES, signIn, signInPage } from './portal-sign-in.js';

/** One answer of the local pages (the portal's files and the issuer's sign-in); the gateway writes it. */
export interface PagesAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface PagesRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly request: IncomingMessage;
  readonly readBody: () => Promise<Buffer>;
}

/**
 * `npm start` serves the portal at `/portal/` and the local issuer's OpenID Connect endpoints beside the
 * API, on the same origin (decision 0500): the page, the sign-in and the API share one origin locally, as
 * the portal and the API share one CloudFront-fronted setup's configuration in AWS.
 */
export function localPages(issuer: LocalIssuer, origins: () => readonly string[]): (input: PagesRequest) => Promise<PagesAnswer | undefined> {
  let files: Promise<PortalFiles> | undefined;
  return async ({ method, path, query, request, readBody }) => {
    const origin = originOf(origins(), request.headers.host);
    const form = async () => new URLSearchParams((await readBody()).toString('utf8'));
    if (method === 'GET' && path === '/.well-known/openid-configuration') return discovery(origin);
    if (method === 'GET' && path === '/oauth2/authorize') return signInPage(query, origin);
    if (method === 'POST' && path === '/oauth2/authorize') return signIn(await form(), origin);
    if (method === 'POST' && path === '/oauth2/token') return exchangeCode(await form(), issuer);
    if (method === 'GET' && path === '/portal') return { status: 301, headers: { Location: '/portal/' }, body: '' };
    if (method !== 'GET' || !path.startsWith('/portal/')) return undefined;
    const name = path === '/portal/' ? 'index.html' : path.slice('/portal/'.length);
    if (name === 'config.json') {
      const config: PortalConfig = { authority: origin, clientId: PORTAL_CLIENT_ID, scope: `openid ${PORTAL_SCOPES.join(' ')}`, apiUrl: origin };
      return { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' }, body: JSON.stringify(config) };
    }
    // Built once, on the first request, so a platform that never serves the portal never pays for it.
    files ??= buildPortal();
    const file = (await files)[name];
    if (!file) return { status: 404, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: `Not Found: no portal file ${name}` }) };
    return { status: 200, headers: { 'Content-Type': file.contentType, 'Cache-Control': 'no-cache', ...PAGE_SECURITY_HEADERS }, body: file.body };
  };
}

/**
 * The origin the pages, discovery and the sign-in's redirect check use: one of the gateway's own origins
 * (`http://127.0.0.1:<port>` and its `localhost` twin), the one the browser addressed if it is among them,
 * else the first. Never the request's `Host` itself: a forged `Host: evil.example` would otherwise make
 * `http://evil.example/portal/` an accepted redirect for a sign-in code (attack finding L6).
 */
export function originOf(origins: readonly string[], host: string | undefined): string {
  return origins.find((origin) => host !== undefined && new URL(origin).host === host.toLowerCase()) ?? origins[0]!;
}

export function writePage(response: ServerResponse, answer: PagesAnswer, traceId: string): void {
  response.writeHead(answer.status, { ...answer.headers, 'X-TraceId': traceId });
  response.end(answer.body);
}
