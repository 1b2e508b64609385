import type { Catalog, RouteDefinition, RuleDefinition } from './types.js';
import { consentRoutes, consentRules } from './consent.js';
import { crmRoutes, crmRules } from './crm.js';
import { notificationRoutes, notificationRules } from './notifications.js';
import { partnerRoutes, partnerRules } from './partner.js';
import { platformRoutes, platformRules } from './platform.js';
import { profileRoutes, profileRules } from './profile.js';

export type { Catalog, RouteDefinition, RuleDefinition } from './types.js';

/** Every route and rule of the platform; each bounded context contributes its own list. */
export const catalog: Catalog = {
  routes: [...platformRoutes, ...consentRoutes, ...partnerRoutes, ...profileRoutes, ...notificationRoutes, ...crmRoutes] as RouteDefinition[],
  rules: [...platformRules, ...consentRules, ...partnerRules, ...profileRules, ...notificationRules, ...crmRules] as RuleDefinition[],
};
