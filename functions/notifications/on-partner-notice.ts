import { crmEvents } from '../../shared/crm/events.js';
import { fanOut } from '../../shared/notifications/deliveries.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import { confirmOutboxEvent } from '../../shared/platform/outbox-delivery.js';

/**
 * Consumer of `PartnerNotice` (rule `DeliverPartnerNotice`): the first page of the fan-out over the
 * recipient partner's subscriptions, each wanted delivery recorded and attempted at once (decision 0401), then
 * the notice's outbox row confirmed (decision 0421).
 */
export const handler = eventHandler(crmEvents.PartnerNotice, async (event) => {
  const { outbox: _routing, ...notice } = event.detail as typeof event.detail & { outbox?: unknown };
  const outcome = await fanOut(notice);
  // The notice's outbox row waits for this confirmation, given once its delivery rows are recorded (and a further
  // page handed on): a failure before is re-published by the outbox sweeper; rows recorded are not written twice.
  await confirmOutboxEvent(event.detail.eventId, 'consumer');
  logger.info('PartnerNotice fanned out', { ...outcome, notice: notice.notice });
});
