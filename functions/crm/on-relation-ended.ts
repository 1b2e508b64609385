import { relationEnded } from '../../shared/crm/causes.js';
import { announceCauses } from '../../shared/crm/notices.js';
import { profileEvents } from '../../shared/profile/events.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';

/** The CRM audience (decision 0411): the partner whose relation ended gets its notice and a purge. */
export const handler = eventHandler(profileEvents.RelationEnded, async (event) => {
  const outcomes = await announceCauses(event.detail.tenant, event.detail.eventId, relationEnded(event.detail));
  logger.info('Partner notices of RelationEnded', { outcomes });
});
