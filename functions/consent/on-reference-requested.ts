import { completeReference } from '../../shared/consent/creation.js';
import { consentEvents } from '../../shared/consent/events.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import { confirmOutboxEvent } from '../../shared/platform/outbox-delivery.js';

/**
 * Consumer of `ConsentReferenceRequested`: creates the consents and keys, then `ConsentReferenceCreated`.
 * Only a finished request confirms its outbox row (created now, or earlier, or the reference is gone):
 * a failure that ends in the dead-letter queue leaves the row due, and the outbox sweeper re-publishes
 * it until the reference is complete (decision 0030). Redeliveries are no-ops (status is no longer pending).
 */
export const handler = eventHandler(consentEvents.ConsentReferenceRequested, async (event) => {
  const outcome = await completeReference(event.detail.tenant, event.detail.consentReference);
  await confirmOutboxEvent(event.detail.eventId, 'consumer');
  logger.info('Consent reference request handled', { outcome });
});
