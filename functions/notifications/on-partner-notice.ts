import { crmEvents } from '../../shared/crm/events.js';
import { fanOut } from '../../shared/notifications/deliveries.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';

/**
 * Consumer of `PartnerNotice` (rule `DeliverPartnerNotice`): the first page of the fan-out over the
 * recipient partner's subscriptions, each wanted delivery recorded and attempted at once (decision 0401).
 */
export const handler = eventHandler(crmEvents.PartnerNotice, async (event) => {
  const { outbox: _routing, ...notice } = event.detail as typeof event.detail & { outbox?: unknown };
  const outcome = await fanOut(notice);
  logger.info('PartnerNotice fanned out', { ...outcome, notice: notice.notice });
});
