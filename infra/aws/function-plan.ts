import { platformSchedules } from '../catalog/platform.js';
import type { Access, Catalog } from '../catalog/types.js';
import type { RoutePolicy } from '../../shared/platform/route-policy.js';

/** One Lambda function: a handler file of the catalog with the union of its definitions' access. */
export interface FunctionPlan {
  /** Entry file relative to the repo root, e.g. `functions/admin/put-tenant.ts`. */
  readonly handler: string;
  /** Construct id derived from the path, e.g. `AdminPutTenant`, stable while the file does not move. */
  readonly constructId: string;
  /** The bounded context (folder below `functions/`); becomes the Powertools service name. */
  readonly context: string;
  readonly access: readonly Access[];
  /** Catalog ids (routes and rules) served by this handler, for descriptions and tests. */
  readonly definitionIds: readonly string[];
}

const HANDLER_PATH = /^functions\/([a-z0-9-]+)\/([a-z0-9-]+)\.ts$/;

export function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

function parseHandler(handler: string): { context: string; operation: string } {
  const match = HANDLER_PATH.exec(handler);
  if (!match) throw new Error(`Handler path ${handler} must look like functions/<context>/<operation>.ts`);
  return { context: match[1], operation: match[2] };
}

export function contextOfHandler(handler: string): string {
  return parseHandler(handler).context;
}

/** Routes may share a handler file; each file becomes exactly one function whose grants cover every use. */
export function planFunctions(catalog: Catalog): FunctionPlan[] {
  const byHandler = new Map<string, { access: Set<Access>; ids: string[] }>();
  for (const definition of [...catalog.routes, ...catalog.rules]) {
    const entry = byHandler.get(definition.handler) ?? { access: new Set<Access>(), ids: [] };
    definition.access.forEach((access) => entry.access.add(access));
    entry.ids.push(definition.id);
    byHandler.set(definition.handler, entry);
  }
  return [...byHandler.entries()].map(([handler, { access, ids }]) => {
    const { context, operation } = parseHandler(handler);
    return {
      handler,
      constructId: pascalCase(context) + pascalCase(operation),
      context,
      access: [...access].sort(),
      definitionIds: ids,
    };
  });
}

/** The part of the catalog one bounded context owns: the definitions whose handler lives in its folder. */
export interface ContextSlice {
  readonly context: string;
  readonly functions: readonly FunctionPlan[];
  readonly catalog: Catalog;
}

export function sliceByContext(catalog: Catalog): ContextSlice[] {
  const contexts = [...new Set([...catalog.routes, ...catalog.rules].map((definition) => contextOfHandler(definition.handler)))];
  return contexts.map((context) => {
    const slice: Catalog = {
      routes: catalog.routes.filter((route) => contextOfHandler(route.handler) === context),
      rules: catalog.rules.filter((rule) => contextOfHandler(rule.handler) === context),
    };
    return { context, functions: planFunctions(slice), catalog: slice };
  });
}

/** The outbox pipe's enrichment function: deployed by the platform stack, not a catalog route or rule. */
export const OUTBOX_ENRICH_HANDLER = 'functions/platform/outbox-enrich.ts';

/**
 * Every handler file the stack deploys (catalog routes and rules, platform schedules, the pipe's
 * enrichment), sorted: the entries of the one bundling pass (decision 0121) and of the benchmark.
 */
export function deployedHandlers(catalog: Catalog): string[] {
  const handlers = [...planFunctions(catalog).map((plan) => plan.handler), ...platformSchedules.map((schedule) => schedule.handler), OUTBOX_ENRICH_HANDLER];
  return [...new Set(handlers)].sort();
}

/**
 * The route policy of the routes one handler file serves (decision 0123): what shared/platform/route-policy.ts
 * needs of the catalog, handed to the function as a constant instead of the catalog's modules. Empty for
 * event consumers and schedules.
 */
export function routePoliciesOf(catalog: Catalog, handler: string): RoutePolicy[] {
  return catalog.routes
    .filter((route) => route.handler === handler)
    .map(({ method, path, callers, scopes, guestVia }) => ({ method, path, callers: [...callers], scopes: [...scopes], ...(guestVia ? { guestVia } : {}) }));
}
