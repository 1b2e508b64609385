import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import type { RouteDefinition } from '../catalog/types.js';

const textTypes = /^(application\/([\w.+-]*\+)?json|application\/x-www-form-urlencoded|text\/)/i;

/** API Gateway passes every claim as a string; arrays become "[a b]". */
function claimsAsStrings(claims: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    out[name] = Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/** Builds the event API Gateway HTTP API (payload format 2.0) sends to a Lambda integration. */
export function toHttpApiEvent(input: {
  request: IncomingMessage;
  /** The request target as sent (the gateway never resolves dot segments or decodes the path). */
  url: Pick<URL, 'pathname' | 'search' | 'searchParams'>;
  route: RouteDefinition;
  pathParameters: Record<string, string>;
  claims: JWTPayload;
  body: Buffer;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { request, url, route } = input;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  // Bytes that are not UTF-8 go over as base64, so the function sees them as they were (and refuses them).
  const isText = input.body.length === 0 || ((contentType === '' || textTypes.test(contentType)) && isUtf8(input.body));
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  const scopes = String(input.claims.scope ?? '').split(/\s+/).filter(Boolean);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    cookies: cookies.length ? cookies : undefined,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(input.pathParameters).length ? input.pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claimsAsStrings(input.claims), scopes } },
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: input.body.length ? (isText ? input.body.toString('utf8') : input.body.toString('base64')) : undefined,
    isBase64Encoded: input.body.length > 0 && !isText,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}
