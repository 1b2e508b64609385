import { platformEvents } from '../../shared/admin/events.js';
import { recordTenantOnboarded } from '../../shared/admin/onboarding-log.js';
import { eventHandler } from '../../shared/platform/events.js';

/** Consumer of `TenantOnboarded`: keeps the onboarding log (idempotent by event id). */
export const handler = eventHandler(platformEvents.TenantOnboarded, async (event) => {
  await recordTenantOnboarded(event.detail, event.time);
});
