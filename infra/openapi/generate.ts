/**
 * The OpenAPI 3.1 description of the whole API (consent, profile, admin, partner), generated from the route
 * table (infra/catalog), the request schemas the handlers validate with (`handler.spec`, zod/mini), the
 * response declarations (infra/openapi/responses) and, for the partner routes the Europace Partner API v2
 * defines, that spec's own operation objects (decision 0090). `npm run openapi` writes it to
 * docs/api/mydata-openapi.json; test/integration/openapi/drift.test.ts proves the file is what this produces.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OpenAPIBackend } from 'openapi-backend';
import * as z from 'zod/mini';
import { catalog, type RouteDefinition } from '../catalog/index.js';
import { COMMON_ERRORS, errorBody, europaceComponentOf, gatewayErrorBody } from './common.js';
import { responsesByRoute } from './responses/index.js';
import type { EuropaceSchema, ResponseSpec, RouteResponses } from './types.js';

type Json = Record<string, unknown>;
type Schema = z.ZodMiniType;

const ROOT = new URL('../../', import.meta.url);
export const DESCRIPTION_FILE = fileURLToPath(new URL('docs/api/mydata-openapi.json', ROOT));
const EUROPACE_FILE = fileURLToPath(new URL('docs/api/europace-partner-openapi.yaml', ROOT));
/** The Europace spec's paths are relative to its server `https://api.europace.de/v2`. */
const EUROPACE_BASE = '/v2';
/** The spec's components keep their names behind this prefix (ours may use the same names). */
const EUROPACE_PREFIX = 'Europace.';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

// ---------------------------------------------------------------- JSON Schema from zod

function jsonSchema(schema: Schema, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: ({ zodSchema, jsonSchema: json }) => {
      const component = europaceComponentOf(zodSchema);
      if (!component) return;
      for (const key of Object.keys(json)) delete (json as Json)[key];
      (json as Json).$ref = `#/components/schemas/${EUROPACE_PREFIX}${component}`;
    },
  }) as Json;
  if ('$defs' in rest) throw new Error('openapi: a schema with $defs (recursive or registered) needs a component name');
  return rest;
}

function isEuropace(body: ResponseSpec['body']): body is EuropaceSchema {
  return typeof body === 'object' && body !== null && 'europace' in body;
}

// ---------------------------------------------------------------- the Europace spec

interface Europace {
  readonly operations: Map<string, Json>;
  readonly schemas: Json;
}

/** `#/components/schemas/X` → `#/components/schemas/Europace.X`, everywhere in a copied object. */
function prefixRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prefixRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string'
        ? [key, inner.replace('#/components/schemas/', `#/components/schemas/${EUROPACE_PREFIX}`)]
        : [key, prefixRefs(inner)],
    ),
  );
}

async function loadEuropace(): Promise<Europace> {
  const document = (await new OpenAPIBackend({ definition: EUROPACE_FILE, quick: true }).loadDocument()) as unknown as Json;
  const operations = new Map<string, Json>();
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    const shared = (item.parameters ?? []) as Json[];
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const own = (operation.parameters ?? []) as Json[];
      const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      operations.set(`${method.toUpperCase()} ${EUROPACE_BASE}${path}`, prefixRefs({ ...operation, parameters }) as Json);
    }
  }
  const schemas = (document.components as Json).schemas as Json;
  return { operations, schemas: Object.fromEntries(Object.entries(schemas).map(([name, s]) => [`${EUROPACE_PREFIX}${name}`, prefixRefs(s)])) };
}

/** Routes that answer an operation of the spec under another method (the guide's POST …/rechte is the spec's PATCH). */
const EUROPACE_ALIASES: Readonly<Record<string, string>> = { PostRechte: 'PATCH /v2/partner/{partnerId}/rechte' };

// ---------------------------------------------------------------- request side, from handler.spec

interface HandlerSpec {
  readonly params?: Schema;
  readonly query?: Schema;
  readonly body?: Schema;
}

async function specOf(route: RouteDefinition): Promise<HandlerSpec> {
  // The entry file itself (tsx and jest both load TypeScript by its own name).
  const module = (await import(fileURLToPath(new URL(route.handler, ROOT)))) as { handler?: { spec?: HandlerSpec } };
  const spec = module.handler?.spec;
  if (!spec) throw new Error(`openapi: ${route.handler} exports no httpHandler (route ${route.id})`);
  return spec;
}

function objectFields(schema: Schema | undefined, io: 'input'): { properties: Record<string, Json>; required: string[] } {
  if (!schema) return { properties: {}, required: [] };
  const json = jsonSchema(schema, io);
  return { properties: (json.properties ?? {}) as Record<string, Json>, required: (json.required ?? []) as string[] };
}

function parametersOf(route: RouteDefinition, spec: HandlerSpec): Json[] {
  const path = objectFields(spec.params, 'input');
  const query = objectFields(spec.query, 'input');
  const names = [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1]);
  return [
    ...names.map((name) => ({ name, in: 'path', required: true, schema: path.properties[name] ?? { type: 'string' } })),
    ...Object.entries(query.properties).map(([name, schema]) => ({ name, in: 'query', required: query.required.includes(name), schema })),
  ];
}

// ---------------------------------------------------------------- responses

const ERROR_REF = { $ref: '#/components/schemas/ErrorBody' };
const GATEWAY_ERROR_REF = { $ref: '#/components/schemas/GatewayErrorBody' };
/** Statuses the gateway answers itself on a matched route (bad percent-encoding, token, scopes, payload or header size, failure). */
const GATEWAY_STATUSES = new Set([400, 401, 403, 413, 431, 500]);

function responseObject(status: number, declared: ResponseSpec | string): Json {
  // Every error answer carries the shared error body unless its declaration names another.
  const spec: ResponseSpec = typeof declared === 'string' ? { description: declared, body: errorBody } : { ...declared, body: declared.body ?? (status >= 400 ? errorBody : undefined) };
  let schema: Json | undefined;
  if (spec.body === errorBody) schema = GATEWAY_STATUSES.has(status) ? { anyOf: [ERROR_REF, GATEWAY_ERROR_REF] } : ERROR_REF;
  else if (isEuropace(spec.body)) schema = { $ref: `#/components/schemas/${EUROPACE_PREFIX}${spec.body.europace}` };
  else if (spec.body) schema = jsonSchema(spec.body, 'output');
  return {
    description: spec.description,
    ...(spec.headers
      ? { headers: Object.fromEntries(Object.entries(spec.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }
      : {}),
    ...(schema ? { content: { 'application/json': { schema } } } : {}),
  };
}

function declaredResponses(route: RouteDefinition): Record<string, ResponseSpec | string> {
  const own: RouteResponses | undefined = responsesByRoute[route.id];
  if (!own) throw new Error(`openapi: route ${route.id} declares no responses (infra/openapi/responses)`);
  // A route for the platform's own pages (decision 0127): the route policy's own 403 for a partner app's guest token.
  const pages: Record<number, string> = route.guestVia === 'platform-pages' && !own[403]
    ? { 403: `${COMMON_ERRORS[403]} A partner app's guest token (with \`partner_id\`): \`PlatformPagesOnly\`, this route is for the platform's own pages (decision 0127).` }
    : {};
  return { ...COMMON_ERRORS, ...pages, ...own };
}

// ---------------------------------------------------------------- the document

function security(route: RouteDefinition): Json[] {
  // "Any of" the scopes, as the JWT authorizer reads them: one requirement per scope.
  return route.scopes.length === 0 ? [{ bearer: [] }] : route.scopes.map((scope) => ({ bearer: [scope] }));
}

function tagOf(route: RouteDefinition): string {
  if (route.path.startsWith('/v2/')) return 'partner';
  if (route.path.startsWith('/profile/v1/')) return 'profile';
  if (route.path.startsWith('/admin/v1/')) return 'admin';
  return 'consent';
}

async function operationOf(route: RouteDefinition, europace: Europace): Promise<Json> {
  const spec = await specOf(route);
  const fromSpec = europace.operations.get(EUROPACE_ALIASES[route.id] ?? `${route.method} ${route.path}`);
  const extensions = {
    'x-route-id': route.id,
    'x-callers': [...route.callers],
    ...(route.guestVia ? { 'x-guest-via': route.guestVia } : {}),
    'x-scopes': [...route.scopes],
    'x-handler': route.handler,
  };
  const declared = declaredResponses(route);
  if (fromSpec) {
    // The spec's operation is the contract: its parameters, body and answers stay; ours add what the spec leaves out.
    // An error answer the spec lists without a body carries ours (the spec's `Error` needs only `message`, ours has it).
    const specResponses = Object.fromEntries(
      Object.entries(fromSpec.responses as Record<string, Json>).map(([status, answer]) => {
        const ours = declared[status] ?? COMMON_ERRORS[Number(status)];
        if (answer.content || Number(status) < 400) return [status, answer];
        const { content } = responseObject(Number(status), typeof ours === 'object' ? ours : String(answer.description));
        return [status, { ...answer, content }];
      }),
    );
    const added = Object.entries(declared).filter(([status]) => !(status in specResponses));
    const responses = sortStatuses({ ...specResponses, ...Object.fromEntries(added.map(([status, r]) => [status, responseObject(Number(status), r)])) });
    const { security: _, ...operation } = fromSpec;
    return {
      ...operation,
      ...(EUROPACE_ALIASES[route.id] ? { operationId: `${fromSpec.operationId}Post` } : {}),
      tags: ['partner'],
      security: security(route),
      responses,
      ...extensions,
      'x-europace': true,
    };
  }
  const requestBody = spec.body ? { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } : undefined;
  const parameters = parametersOf(route, spec);
  return {
    operationId: route.id,
    tags: [tagOf(route)],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    security: security(route),
    responses: sortStatuses(Object.fromEntries(Object.entries(declared).map(([status, r]) => [status, responseObject(Number(status), r)]))),
    ...extensions,
  };
}

function sortStatuses(responses: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

export async function buildDescription(routes: readonly RouteDefinition[] = catalog.routes): Promise<Json> {
  const europace = await loadEuropace();
  const paths: Record<string, Record<string, Json>> = {};
  const sorted = [...routes].sort((a, b) => a.path.localeCompare(b.path) || METHODS.indexOf(a.method.toLowerCase() as never) - METHODS.indexOf(b.method.toLowerCase() as never));
  for (const route of sorted) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = await operationOf(route, europace);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'mydata',
      version: '1',
      description:
        'Consent (/profile-consent/v1, after SAP Hybris Profile Consent), partner management (/v2, the Europace Partner API v2 plus our additions), ' +
        'profile data and sharing (/profile/v1) and the operator API (/admin/v1). Generated from the route catalog and the handlers\' schemas ' +
        '(`npm run openapi`, decision 0090). `x-callers` are the JWT principal kinds a route admits; `x-guest-via: platform-pages` admits only guest tokens of the platform\'s own pages (no `partner_id`; an app\'s: 403 `PlatformPagesOnly`, decision 0127); `security` lists its scopes, any one suffices.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'consent', description: 'Consent references, consents and the metamodel (/profile-consent/v1).' },
      { name: 'partner', description: 'Europace Partner API v2 (operations with `x-europace` are the spec\'s own) and our additions.' },
      { name: 'profile', description: "The guest's profile, partner data, shares and imports (/profile/v1)." },
      { name: 'admin', description: 'The operator: tenants and consent classes (/admin/v1).' },
    ],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT of the issuer; `scope` holds the scopes, `principal` the caller kind.' } },
      schemas: {
        ErrorBody: jsonSchema(errorBody, 'output'),
        GatewayErrorBody: jsonSchema(gatewayErrorBody, 'output'),
        ...europace.schemas,
      },
    },
  };
}

export const serialize = (description: unknown): string => `${JSON.stringify(description, null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DESCRIPTION_FILE, serialize(await buildDescription()));
  console.log(`wrote ${DESCRIPTION_FILE}`);
}
