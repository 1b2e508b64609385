import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { DomainError } from './errors.js';
import { mapError } from './http-errors.js';
import { originOf } from './links.js';
import { injectLambdaContext, logger, logMetrics, MetricUnit, metrics } from './observability.js';
import { tracingMiddlewares } from './tracing.js';
import { principalFromClaims, type Principal } from './principal.js';
import { enforceRoutePolicy } from './route-policy.js';
import { correlationIdOf } from './trace.js';
import { ANY_VERSION, type ExpectedVersion } from './versions.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type Schema = z.ZodMiniType;
type Out<S> = S extends Schema ? z.infer<S> : undefined;

/** 256 KiB: well under API Gateway's 10 MB and Lambda's 6 MB, and ample for every JSON body we accept. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export interface HttpSpec<P, Q, B> {
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Body size limit in bytes (413 beyond it). */
  readonly maxBodyBytes?: number;
}

export interface HttpRequest<P, Q, B> {
  readonly params: Out<P>;
  readonly query: Out<Q>;
  readonly body: Out<B>;
  /** Lower-cased header names, as API Gateway passes them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly principal: Principal;
  readonly traceId: string;
  /** Base URL of the API (`https://host`), for absolute links in responses: use `link(request, path)` (links.ts). */
  readonly origin: string;
  /** What a conditional write expects of the current version, read from `If-Match` (`expectedVersionOf`). */
  readonly expectedVersion: ExpectedVersion;
  readonly event: HttpEvent;
}

export interface HttpResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The version of the object answered: sent as its strong ETag (`"<version>"`), what `If-Match` later names. */
  readonly version?: string | number;
}

/**
 * `If-Match` in domain words, the one parser of every context: absent → any version; `*` → the object must
 * exist; otherwise the listed entity tags, weak (`W/"…"`) or strong, compared by their opaque value (a tag
 * that is not quoted names no version). Versions go out as strong ETags (`jsonResult`).
 */
export function expectedVersionOf(header: string | undefined): ExpectedVersion {
  if (header === undefined) return ANY_VERSION;
  if (header.trim() === '*') return { kind: 'existing' };
  const versions = header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .filter((tag) => tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"'))
    .map((tag) => tag.slice(1, -1));
  return { kind: 'oneOf', versions };
}

/** The strong ETag of a version. */
export const etagOf = (version: string | number): string => `"${version}"`;

type Issue = { path: PropertyKey[]; message: string };

function validate<S extends Schema | undefined>(schema: S, input: unknown, where: string): Out<S> {
  if (!schema) return undefined as unknown as Out<S>;
  const result = schema.safeParse(input);
  if (result.success) return result.data as Out<S>;
  const fields = (result.error.issues as Issue[]).map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new DomainError('Invalid', `Invalid request: ${summary}`, 'ValidationFailed', { fields });
}

/** Deepest nesting of arrays/objects a JSON body may have; real bodies stay below 10 (decision 0020). */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of a JSON text, found by one scan without recursion (so a body nested 100,000
 * deep cannot overflow the stack here, in JSON.parse, in validation or when it is written back).
 * Brackets inside strings do not count; invalid JSON is left for JSON.parse to refuse.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Every path parameter, before any handler schema sees it (API Gateway hands them over decoded):
 * empty, `.` and `..` name no object and would address another one wherever a parameter becomes part
 * of a path or key; control characters are never part of an id or name. 400, in AWS as locally.
 */
export function checkPathParameters(parameters: Readonly<Record<string, string | undefined>> | undefined): void {
  for (const [name, value] of Object.entries(parameters ?? {})) {
    if (value === undefined || value === '' || value === '.' || value === '..') {
      throw new DomainError('Invalid', `Invalid request: path.${name} must not be empty, "." or ".."`, 'InvalidPathParameter', {
        fields: [{ field: `path.${name}`, message: 'must not be empty, "." or ".."' }],
      });
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
    if (/[\u0000-\u001f\u007f]/.test(value)) {
      throw new DomainError('Invalid', `Invalid request: path.${name} must not contain control characters`, 'InvalidPathParameter', {
        fields: [{ field: `path.${name}`, message: 'must not contain control characters' }],
      });
    }
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text: UTF-8 only, never silently repaired, never compressed (400 instead of a guess). */
function bodyText(event: HttpEvent): string {
  const encoding = event.headers?.['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new DomainError('Invalid', `Content-Encoding ${encoding} is not accepted; send the body uncompressed`, 'UnsupportedContentEncoding');
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(event.headers?.['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new DomainError('Invalid', `charset ${charset} is not accepted; send UTF-8`, 'UnsupportedCharset');
  }
  if (!event.isBase64Encoded) return event.body ?? '';
  try {
    return strictUtf8.decode(Buffer.from(event.body ?? '', 'base64'));
  } catch {
    throw new DomainError('Invalid', 'Request body is not valid UTF-8', 'InvalidUtf8');
  }
}

/** JSON numbers beyond a double (`1e309`) would be stored as `null`: refused instead. */
function finiteNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new DomainError('Invalid', 'Request body holds a number outside the range of a double', 'NumberOutOfRange');
  }
  return value;
}

/**
 * A deletion names its object exactly: a DELETE whose raw path ends in `/` is what a client that resolved
 * a `..` parameter sends (`/me/relations/..` becomes `/me/`), so it never reaches the route without the
 * slash (for DELETE /profile/v1/me: an erasure). Other methods keep API Gateway's trailing-slash routing
 * (Europace's own collection reads and patches `/v2/partner/{id}/`).
 */
function refuseDeletionWithTrailingSlash(event: HttpEvent): void {
  const method = event.requestContext?.http?.method ?? event.routeKey?.split(' ')[0];
  const path = event.rawPath ?? '';
  if (method === 'DELETE' && path.length > 1 && path.endsWith('/')) {
    throw new DomainError('NotFound', `No route DELETE ${path}: a deletion names its object without a trailing slash`, 'RouteNotFound');
  }
}

function readBody(event: HttpEvent, hasSchema: boolean, maxBytes: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return hasSchema ? {} : undefined;
  const raw = bodyText(event);
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) {
    throw new DomainError('TooLarge', `Request body exceeds ${maxBytes} bytes`, 'BodyTooLarge');
  }
  const type = event.headers?.['content-type'] ?? 'application/json';
  const isJson = /^application\/([\w.+-]*\+)?json\b/i.test(type);
  // `curl -d '{…}'` (as in the Hybris tutorials) labels JSON as a form; accept it when it is JSON.
  const isCurlForm = /^application\/x-www-form-urlencoded\b/i.test(type) && /^\s*[[{]/.test(raw);
  if (!isJson && !isCurlForm) {
    throw new DomainError('Invalid', 'Request body must be application/json', 'UnsupportedContentType');
  }
  if (jsonDepthExceeds(raw, MAX_JSON_DEPTH)) {
    throw new DomainError('Invalid', `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`, 'JsonTooDeep');
  }
  try {
    return JSON.parse(raw, finiteNumbers);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('Invalid', 'Request body is not valid JSON', 'MalformedJson');
  }
}

function jsonResult(result: HttpResult, traceId: string): APIGatewayProxyResultV2 {
  const headers: Record<string, string> = { 'X-TraceId': traceId, ...(result.headers ?? {}) };
  if (result.version !== undefined) headers.ETag = etagOf(result.version);
  if (result.body === undefined) return { statusCode: result.statusCode, headers };
  headers['Content-Type'] ??= 'application/json';
  return { statusCode: result.statusCode, headers, body: JSON.stringify(result.body) };
}

/**
 * The one middleware stack of every HTTP function: Powertools logger (with correlation id),
 * tracer and metrics; body, path and query validation; principal from the JWT claims; domain
 * errors mapped to JSON error bodies carrying `message` and `traceId`.
 */
export function httpHandler<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: HttpSpec<P, Q, B>, run: (request: HttpRequest<P, Q, B>) => Promise<HttpResult>) {
  const maxBodyBytes = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const core = async (event: HttpEvent, _context: Context): Promise<APIGatewayProxyResultV2> => {
    const headers = (event.headers ?? {}) as Record<string, string>;
    const traceId = correlationIdOf(headers);
    logger.appendKeys({ correlation_id: traceId });
    try {
      const principal = principalFromClaims(event.requestContext?.authorizer?.jwt?.claims);
      // The route's declared callers, scopes and tenant, before anything else runs (decision 0010).
      enforceRoutePolicy(event, principal);
      refuseDeletionWithTrailingSlash(event);
      checkPathParameters(event.pathParameters);
      const rawBody = readBody(event, spec.body !== undefined, maxBodyBytes);
      const request: HttpRequest<P, Q, B> = {
        params: validate(spec.params as P, event.pathParameters ?? {}, 'path'),
        query: validate(spec.query as Q, event.queryStringParameters ?? {}, 'query'),
        body: validate(spec.body as B, rawBody, 'body'),
        headers,
        principal,
        traceId,
        origin: originOf(event.requestContext?.domainName),
        expectedVersion: expectedVersionOf(headers['if-match']),
        event,
      };
      const result = await run(request);
      metrics.addMetric('Success', MetricUnit.Count, 1);
      return jsonResult(result, traceId);
    } catch (error) {
      const mapped = mapError(error, traceId);
      metrics.addMetric(mapped.statusCode >= 500 ? 'ServerError' : 'ClientError', MetricUnit.Count, 1);
      if (mapped.statusCode >= 500) logger.error('Unhandled error', error as Error);
      else logger.info('Request rejected', { status: mapped.statusCode, code: mapped.body.code });
      return jsonResult({ statusCode: mapped.statusCode, body: mapped.body, headers: mapped.headers }, traceId);
    }
  };
  const handler = middy(core)
    // The X-Ray SDK's handler segment only in functions built with tracing on (decision 0120).
    .use(tracingMiddlewares())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
  // The request schemas stay readable on the handler, so tests can generate inputs from them (fuzz suite).
  return Object.assign(handler, { spec: spec as HttpSpec<unknown, unknown, unknown> });
}
