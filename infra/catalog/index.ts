import type { Catalog, RouteDefinition, RuleDefinition } from './types.js';
import { platformRoutes, platformRules } from './platform.js';

export type { Catalog, RouteDefinition, RuleDefinition } from './types.js';

/** Every route and rule of the platform; each bounded context contributes its own list. */
export const catalog: Catalog = {
  routes: [...platformRoutes] as RouteDefinition[],
  rules: [...platformRules] as RuleDefinition[],
};
