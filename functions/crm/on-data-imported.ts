import { dataImported } from '../../shared/crm/causes.js';
import { announceCauses } from '../../shared/crm/notices.js';
import { profileEvents } from '../../shared/profile/events.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';

/** The CRM audience (decision 0411): an imported copy is announced to the importing partner (and every related partner if the type is shared). */
export const handler = eventHandler(profileEvents.PartnerDataImported, async (event) => {
  const outcomes = await announceCauses(event.detail.tenant, event.detail.eventId, dataImported(event.detail));
  logger.info('Partner notices of PartnerDataImported', { outcomes });
});
