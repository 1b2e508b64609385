import { profileChanged } from '../../shared/crm/causes.js';
import { announceCauses } from '../../shared/crm/notices.js';
import { profileEvents } from '../../shared/profile/events.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';

/** The CRM audience (decision 0411): the guest's own profile (`Person`) changed; the partners that may see it are told. */
export const handler = eventHandler(profileEvents.ProfileChanged, async (event) => {
  const outcomes = await announceCauses(event.detail.tenant, event.detail.eventId, profileChanged(event.detail));
  logger.info('Partner notices of ProfileChanged', { outcomes });
});
