import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { catalog } from '../../infra/catalog/index.js';
import type { HttpMethod, RouteDefinition } from '../../infra/catalog/types.js';
import { createRouteMatcher } from '../../infra/local/route-matcher.js';

/**
 * Every HTTP answer the suite receives is checked against the published description
 * (docs/api/mydata-openapi.json, decision 0090): its route and status must be described, and its body must
 * validate against the described schema (no body where none is described). The drift test proves the file
 * is what the generator makes of the code, so this checks the code's answers against the code's description.
 */
const FILE = new URL('../../docs/api/mydata-openapi.json', import.meta.url);
const DOCUMENT_ID = 'mydata-openapi.json';

type Json = Record<string, unknown>;
interface Described {
  readonly document: { paths: Record<string, Record<string, Json>> };
  readonly match: ReturnType<typeof createRouteMatcher>;
  readonly ajv: Ajv2020;
  readonly validators: Map<string, ValidateFunction>;
}

let described: Described | undefined;
function load(): Described {
  if (described) return described;
  const document = JSON.parse(readFileSync(FILE, 'utf8')) as Described['document'];
  const routes: RouteDefinition[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item)) {
      routes.push({ id: `${method} ${path}`, method: method.toUpperCase() as HttpMethod, path, handler: '', scopes: [], callers: [], access: [] });
    }
  }
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false, validateSchema: false });
  addFormats(ajv as unknown as Parameters<typeof addFormats>[0]);
  ajv.addSchema(document as unknown as Json, DOCUMENT_ID);
  described = { document, match: createRouteMatcher(routes), ajv, validators: new Map() };
  return described;
}

const catalogMatch = createRouteMatcher(catalog.routes);
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export interface CheckedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/** Throws when the answer is not what the description says; answers of no route (the gateway's 404) pass. */
export function checkAgainstDescription(method: string, target: string, response: CheckedResponse): void {
  const { document, match, ajv, validators } = load();
  const pathname = rawPathname(target);
  const where = `${method} ${target} → ${response.status}`;
  const found = match(method, pathname);
  if (!found) {
    const route = catalogMatch(method, pathname);
    if (route) throw new Error(`OpenAPI: route ${route.route.id} (${route.route.method} ${route.route.path}) is missing from docs/api/mydata-openapi.json (${where}); run npm run openapi`);
    return;
  }
  const [methodKey, template] = [method.toLowerCase(), found.route.path];
  const operation = document.paths[template][methodKey] as { responses: Record<string, { content?: Record<string, { schema: Json }> }>; operationId?: string };
  const answer = operation.responses[String(response.status)];
  if (!answer) {
    throw new Error(
      `OpenAPI: status ${response.status} of ${method.toUpperCase()} ${template} is not described (${where}; described: ${Object.keys(operation.responses).join(', ')}): ${response.text.slice(0, 400)}`,
    );
  }
  const json = answer.content?.['application/json'];
  if (!json) {
    if (response.text !== '') throw new Error(`OpenAPI: ${method.toUpperCase()} ${template} ${response.status} is described without a body, but answered ${response.text.slice(0, 400)}`);
    return;
  }
  // Fetch gives no body for 205 (a null-body status): nothing to check.
  if (response.status === 205 && response.text === '') return;
  if (response.body === undefined) throw new Error(`OpenAPI: ${where} must answer a JSON body, answered ${JSON.stringify(response.text.slice(0, 400))}`);
  const ref = `${DOCUMENT_ID}#/${pointer('paths', template, methodKey, 'responses', String(response.status), 'content', 'application/json', 'schema')}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  if (!validate(response.body)) {
    throw new Error(`OpenAPI: the answer drifts from the description (${where}): ${JSON.stringify(validate.errors?.slice(0, 8))} body ${response.text.slice(0, 600)}`);
  }
}

function rawPathname(target: string): string {
  const cut = target.search(/[?#]/);
  const path = cut < 0 ? target : target.slice(0, cut);
  return path.startsWith('http') ? new URL(path).pathname : path;
}
