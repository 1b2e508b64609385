import { profileErased } from '../../shared/crm/causes.js';
import { announceCauses } from '../../shared/crm/notices.js';
import { profileEvents } from '../../shared/profile/events.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import { confirmOutboxEvent } from '../../shared/platform/outbox-delivery.js';

/** The CRM audience (decision 0411): every partner that held the guest's data gets its notice and a purge. */
export const handler = eventHandler(profileEvents.ProfileErased, async (event) => {
  const outcomes = await announceCauses(event.detail.tenant, event.detail.eventId, profileErased(event.detail));
  // A purge cause: its outbox row waits for this confirmation, given once its notices and purges are written
  // (and a further page handed on), so a failure before is re-published by the outbox sweeper (decision 0421).
  await confirmOutboxEvent(event.detail.eventId, 'consumer');
  logger.info('Partner notices of ProfileErased', { outcomes });
});
