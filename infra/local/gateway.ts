import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { RouteDefinition } from '../catalog/types.js';
import { correlationIdOf } from '../../shared/platform/trace.js';
import type { LocalFunction } from './access.js';
import { InvocationTimeout, invokeFunction } from './invoke.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, SIGNING_ALGORITHM, type LocalIssuer } from './issuer.js';
import { createRouteMatcher } from './route-matcher.js';
import { toHttpApiEvent } from './http-api-event.js';
import { apiReference, type ReferenceFile } from './api-reference.js';
import { localPages, writePage } from './portal.js';

/** API Gateway refuses payloads over 10 MB; functions apply their own, smaller limits. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface LocalGateway {
  readonly url: string;
  stop(): Promise<void>;
}

class GatewayError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

/**
 * The local API Gateway (HTTP API, payload 2.0): matches the catalog's routes, verifies the JWT
 * against the local issuer's JWKS, enforces the route's scopes and invokes the function.
 */
export async function startGateway(options: {
  port: number;
  host?: string;
  routes: readonly RouteDefinition[];
  issuer: LocalIssuer;
  /** The function a route invokes (the platform's: one per handler file); default: the route alone. */
  functionOf?: (route: RouteDefinition) => LocalFunction;
}): Promise<LocalGateway> {
  const functionOf = options.functionOf ?? ((route: RouteDefinition) => ({ name: route.id, handler: route.handler, access: route.access }));
  const match = createRouteMatcher(options.routes);
  const jwks = createLocalJWKSet(options.issuer.jwks);
  const verified = new VerifiedTokens();
  // The gateway's own origins, known once it listens (port 0 picks one): the pages never trust the Host header.
  let origins: readonly string[] = [];
  const pages = localPages(options.issuer, () => origins);

  async function authorize(request: IncomingMessage, route: RouteDefinition): Promise<JWTPayload> {
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new GatewayError(401, 'Unauthorized: missing bearer token');
    let claims = verified.get(token);
    if (!claims) {
      try {
        ({ payload: claims } = await jwtVerify(token, jwks, {
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCE,
          algorithms: [SIGNING_ALGORITHM],
        }));
      } catch (error) {
        throw new GatewayError(401, `Unauthorized: ${(error as Error).message}`);
      }
      verified.remember(token, claims);
    }
    const granted = new Set(String(claims.scope ?? '').split(/\s+/).filter(Boolean));
    if (route.scopes.length > 0 && !route.scopes.some((scope) => granted.has(scope))) {
      throw new GatewayError(403, `Forbidden: the token needs one of the scopes ${route.scopes.join(', ')}`);
    }
    return claims;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const traceId = correlationIdOf(request.headers as Record<string, string>);
    const url = rawTarget(request.url ?? '/');
    const method = request.method ?? 'GET';
    try {
      if (!url.pathname.startsWith('/')) throw new GatewayError(400, 'Bad Request: the request target must be an absolute path');
      if (!isWellEncoded(url.pathname)) throw new GatewayError(400, 'Bad Request: malformed percent-encoding in the path');
      if (method === 'GET' && url.pathname === '/.well-known/jwks.json') {
        return send(response, 200, options.issuer.jwks, traceId);
      }
      // The published description of the whole API and a page that renders it (decision 0090); no token needed.
      const reference = method === 'GET' ? apiReference(url.pathname) : undefined;
      if (reference) return sendFile(response, reference, traceId);
      // The guest's portal and the local issuer's OpenID Connect sign-in (issue 14, decision 0500); no token needed.
      const page = await pages({ method, path: url.pathname, query: url.searchParams, request, readBody: () => readPayload(request) });
      if (page) return writePage(response, page, traceId);
      const found = match(method, url.pathname);
      if (!found) throw new GatewayError(404, `Not Found: no route for ${method} ${url.pathname}`);
      const body = await readPayload(request);
      const claims = await authorize(request, found.route);
      const event = toHttpApiEvent({ request, url, route: found.route, pathParameters: found.pathParameters, claims, body });
      const result = await invokeFunction(functionOf(found.route), event);
      return sendLambdaResult(response, result, traceId);
    } catch (error) {
      if (error instanceof GatewayError) return send(response, error.statusCode, { message: error.message, traceId }, traceId);
      if (error instanceof InvocationTimeout) return send(response, 503, { message: 'Service Unavailable', traceId }, traceId);
      console.error(`[gateway] ${method} ${url.pathname} failed:`, error);
      return send(response, 500, { message: 'Internal Server Error', traceId }, traceId);
    }
  }

  const server: Server = createServer((request, response) => void handle(request, response));
  // Requests Node cannot even parse (oversized headers, bad characters) still get a JSON error, as
  // API Gateway answers them, instead of a bare status line.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
    const body = JSON.stringify({ message: `${reason}: the request could not be read`, traceId: randomUUID() });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  // Like API Gateway, keep idle client connections open long enough that clients pausing between
  // requests do not race the server closing the socket.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  // The loopback address and `localhost` name the same local gateway; a browser may use either.
  origins = [url, ...((options.host ?? '127.0.0.1') === '127.0.0.1' ? [`http://localhost:${port}`] : [])];
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Tokens this gateway verified, by their exact string, until they expire (decision 0124). The ES256
 * signature check cost ~0.6 ms of every local request; in AWS it is API Gateway's JWT authorizer's, not the
 * function's. Only the same string is ever served from here (same signature, same claims), only while its
 * `exp` (and `nbf`) still admit it, as jose would check them; a token without `exp` is not kept. Bounded:
 * the oldest entry goes first.
 */
class VerifiedTokens {
  private static readonly MAX = 10_000;
  private readonly byToken = new Map<string, JWTPayload>();

  get(token: string): JWTPayload | undefined {
    const claims = this.byToken.get(token);
    if (!claims) return undefined;
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp === 'number' && claims.exp > now && (typeof claims.nbf !== 'number' || claims.nbf <= now)) return claims;
    this.byToken.delete(token);
    return undefined;
  }

  remember(token: string, claims: JWTPayload): void {
    if (typeof claims.exp !== 'number') return;
    if (this.byToken.size >= VerifiedTokens.MAX) this.byToken.delete(this.byToken.keys().next().value!);
    this.byToken.set(token, Object.freeze(claims));
  }
}

/**
 * The request target exactly as sent: API Gateway matches routes on the raw path and never resolves
 * dot segments (`WHATWG URL` would turn `/me/relations/%2e%2e` into `/me`, so it is not used here).
 */
function rawTarget(target: string): Pick<URL, 'pathname' | 'search' | 'searchParams'> {
  const cut = target.search(/[?#]/);
  const pathname = cut < 0 ? target : target.slice(0, cut);
  const rest = cut < 0 ? '' : target.slice(cut);
  const query = rest.startsWith('?') ? rest.slice(1).split('#')[0] : '';
  return { pathname, search: query ? `?${query}` : '', searchParams: new URLSearchParams(query) };
}

/** Every path segment decodes as percent-encoded UTF-8 (`%zz`, overlong `%c0%ae` do not). */
function isWellEncoded(path: string): boolean {
  try {
    for (const segment of path.split('/')) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

async function readPayload(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) throw new GatewayError(413, 'Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendFile(response: ServerResponse, file: ReferenceFile, traceId: string): void {
  response.writeHead(200, { 'Content-Type': file.contentType, 'X-TraceId': traceId, 'Cache-Control': 'no-cache' });
  response.end(file.body());
}

function send(response: ServerResponse, statusCode: number, body: unknown, traceId: string): void {
  response.writeHead(statusCode, { 'Content-Type': 'application/json', 'X-TraceId': traceId, 'apigw-requestid': randomUUID() });
  response.end(JSON.stringify(body));
}

interface LambdaResult {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** Payload 2.0 response mapping: a result without statusCode is a JSON body with 200. */
function sendLambdaResult(response: ServerResponse, raw: unknown, traceId: string): void {
  const result = (raw ?? {}) as LambdaResult;
  if (typeof raw !== 'object' || raw === null || result.statusCode === undefined) {
    return send(response, 200, raw ?? null, traceId);
  }
  const headers: Record<string, string | string[]> = { 'apigw-requestid': randomUUID() };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['Set-Cookie'] = result.cookies;
  response.writeHead(result.statusCode, headers);
  const body = result.body ?? '';
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
