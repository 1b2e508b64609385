import { fanOut } from '../../shared/notifications/deliveries.js';
import { notificationEvents } from '../../shared/notifications/events.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import { confirmOutboxEvent } from '../../shared/platform/outbox-delivery.js';

/**
 * Consumer of `NotificationFanOutContinued`: the next page of one notice's fan-out (decision 0208).
 * Confirms its outbox row after the page and its hand-over, so a crashed page runs again from its cursor.
 */
export const handler = eventHandler(notificationEvents.NotificationFanOutContinued, async (event) => {
  const outcome = await fanOut(event.detail.notice, event.detail.cursor);
  await confirmOutboxEvent(event.detail.eventId, 'consumer');
  logger.info('PartnerNotice fan-out continued', { ...outcome });
});
