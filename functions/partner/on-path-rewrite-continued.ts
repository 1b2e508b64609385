import { partnerEvents } from '../../shared/partner/events.js';
import { rewritePathsPage } from '../../shared/partner/path-rewrite.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import { confirmOutboxEvent } from '../../shared/platform/outbox-delivery.js';

/**
 * Consumer of `PartnerPathRewriteContinued`: one bounded page of the path rewrite below a moved partner
 * (decision 0208). Confirms its outbox row only after the page and the next hand-over, so a crashed page
 * is re-published by the sweeper and runs again from its cursor (idempotent: rewritten rows are skipped,
 * the hand-over has a derived id).
 */
export const handler = eventHandler(partnerEvents.PartnerPathRewriteContinued, async (event) => {
  const { tenant, partnerId, moveId, cursor } = event.detail;
  const outcome = await rewritePathsPage(tenant, partnerId, moveId, cursor);
  await confirmOutboxEvent(event.detail.eventId, 'consumer');
  logger.info('Partner paths below a move rewritten (one page)', { ...outcome, cursor: undefined });
});
