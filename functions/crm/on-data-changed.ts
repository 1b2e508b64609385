import { dataChanged } from '../../shared/crm/causes.js';
import { announceCauses } from '../../shared/crm/notices.js';
import { profileEvents } from '../../shared/profile/events.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';

/** The CRM audience (decision 0411): an object created, changed or deleted is announced to the partners that may see it. */
export const handler = eventHandler(profileEvents.PartnerDataChanged, async (event) => {
  const outcomes = await announceCauses(event.detail.tenant, event.detail.eventId, dataChanged(event.detail));
  logger.info('Partner notices of PartnerDataChanged', { outcomes });
});
