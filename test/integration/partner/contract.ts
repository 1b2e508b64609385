import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Request as OasRequest } from 'openapi-backend';
import { type ApiResponse, call } from '../../support/api.js';

/**
 * Every partner API call of the suite goes through here: the request the server accepted and the
 * response it gave are validated against the Europace OpenAPI file itself (openapi-backend + ajv),
 * so a drift from the contract fails the test that caused it. No schema is copied by hand.
 */
const SPEC = new URL('../../../docs/api/europace-partner-openapi.yaml', import.meta.url).pathname;
/**
 * Operations this platform adds beyond the spec (`pfad`, moving a partner, the write side of what the
 * spec only reads, Zugang activation): nothing to validate against. The spec's own GETs of the same
 * resources (partnerkennzeichen, lizenzen) are still validated.
 */
const BEYOND_SPEC: readonly [RegExp, RegExp][] = [
  [/^GET$/, /^\/partner\/[^/]+\/pfad$/],
  [/^PUT$/, /^\/partner\/[^/]+\/parent$/],
  [/^(PUT|DELETE)$/, /^\/partner\/[^/]+\/(einstellungsrechtFuer|handelsbeziehungen)\/[^/]+$/],
  [/^GET$/, /^\/partner\/[^/]+\/handelsbeziehungen$/],
  [/^PUT$/, /^\/partner\/[^/]+\/partnerkennzeichen$/],
  [/^PUT$/, /^\/partner\/[^/]+\/lizenzen\/[^/]+$/],
  [/^POST$/, /^\/partner\/[^/]+\/zugang\/aktivierung$/],
  [/^(PUT|DELETE)$/, /^\/partner\/[^/]+\/identityProvider$/],
];

let backend: Promise<OpenAPIBackend> | undefined;
/**
 * Compiling the validators blocks the event loop for seconds; done in the middle of a test it lets
 * the gateway close an idle keep-alive socket unnoticed. Test files await it before their first call.
 */
export function openapi(): Promise<OpenAPIBackend> {
  backend ??= (async () => {
    const api = new OpenAPIBackend({
      definition: SPEC,
      strict: false,
      validate: true,
      customizeAjv: (ajv) => {
        addFormats(ajv as unknown as Parameters<typeof addFormats>[0]);
        return ajv;
      },
    });
    await api.init();
    return api;
  })();
  return backend;
}

/** Operation ids the suite has exercised (the contract test checks that all 17 were). */
export const exercised = new Set<string>();

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  rawBody?: string;
}

export async function api(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const response = await call(method, path, options);
  await checkContract(method, path, options, response);
  return response;
}

async function checkContract(method: string, fullPath: string, options: CallOptions, response: ApiResponse): Promise<void> {
  const url = new URL(fullPath, 'http://spec');
  if (!url.pathname.startsWith('/v2/')) throw new Error(`not a partner API path: ${fullPath}`);
  const path = url.pathname.slice(3).replace(/(.)\/$/, '$1');
  if (BEYOND_SPEC.some(([m, p]) => m.test(method) && p.test(path))) return;
  const oas = await openapi();
  // The guide sets rights with POST; the spec with PATCH, whose contract that form must meet too.
  const specMethod = method === 'POST' && /^\/partner\/[^/]+\/rechte$/.test(path) ? 'PATCH' : method;
  // The spec gives the id lists next/prev links but no parameters; ours (size, after, before) are the
  // documented extension that those links carry, so they are not held against the request.
  const query = Object.fromEntries(url.searchParams);
  if (/\/(administrierbare|uebernehmbare)$/.test(path)) for (const p of ['size', 'after', 'before']) delete query[p];
  const request: OasRequest = {
    method: specMethod,
    path,
    query,
    headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
    body: options.body,
  };
  const operation = oas.router.matchOperation(request);
  if (!operation) throw new Error(`Contract: ${method} ${path} is no operation of the spec`);
  exercised.add(operation.operationId!);
  const where = `${method} ${fullPath} → ${response.status}`;
  if (response.status < 300 && options.rawBody === undefined) {
    const errors = oas.validateRequest(request, operation).errors;
    if (errors?.length) throw new Error(`Contract: request accepted although the spec refuses it (${where}): ${JSON.stringify(errors)}`);
  }
  // Fetch gives no body for 205 (a null-body status); the 205 test reads it raw and calls checkResponseBody.
  if (!(response.status === 205 && response.text === '')) {
    checkResponseBody(oas, operation.operationId!, response.status, response.body, where, response.text);
  }
  const headerCheck = oas.validateResponseHeaders(Object.fromEntries(response.headers), operation, { statusCode: response.status, setMatchType: 'superset' as never });
  if (headerCheck.errors?.length) throw new Error(`Contract: response headers drift (${where}): ${JSON.stringify(headerCheck.errors)}`);
  if (response.status >= 400) assertErrorBody(oas, where, response);
}

let errorValidator: ((body: unknown) => boolean) & { errors?: unknown } | undefined;

/** Error bodies follow the spec's `Error` schema (message required) and carry the trace id. */
function assertErrorBody(oas: OpenAPIBackend, where: string, response: ApiResponse): void {
  if (!errorValidator) {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    errorValidator = ajv.compile((oas.definition.components!.schemas as Record<string, object>).Error);
  }
  if (!errorValidator(response.body)) throw new Error(`Contract: error body is no Error (${where}): ${response.text}`);
  if (typeof response.body.traceId !== 'string') throw new Error(`Contract: error body without traceId (${where}): ${response.text}`);
}

/** Validates a response body against the operation's response schema in the spec. */
export function checkResponseBody(oas: OpenAPIBackend, operationId: string, status: number, body: unknown, where: string, text = JSON.stringify(body)): void {
  const errors = oas.validateResponse(body, oas.getOperation(operationId)!, status).errors;
  if (errors?.length) throw new Error(`Contract: response drifts from the spec (${where}): ${JSON.stringify(errors)} body ${text}`);
}
