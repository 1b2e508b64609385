import { crmEvents } from '../../shared/crm/events.js';
import { continueAnnouncing } from '../../shared/crm/notices.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import { confirmOutboxEvent } from '../../shared/platform/outbox-delivery.js';

/**
 * The audience's next page of a guest's relations (decisions 0208, 0411). Confirms its outbox row only after
 * the page and the next hand-over, so a crashed page is re-published by the sweeper and runs again: its
 * notices are derived ids (written once), its hand-over too.
 */
export const handler = eventHandler(crmEvents.PartnerNoticesContinued, async (event) => {
  const outcome = await continueAnnouncing(event.detail);
  await confirmOutboxEvent(event.detail.eventId, 'consumer');
  logger.info('Partner notices of a further page of relations', { ...outcome });
});
