import { consentRevoked } from '../../shared/crm/causes.js';
import { announceCauses } from '../../shared/crm/notices.js';
import { consentEvents } from '../../shared/consent/events.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import { confirmOutboxEvent } from '../../shared/platform/outbox-delivery.js';

/** The CRM audience (decision 0411): the partners that could see the revoked types get their notice and a purge. */
export const handler = eventHandler(consentEvents.ConsentRevoked, async (event) => {
  const outcomes = await announceCauses(event.detail.tenant, event.detail.eventId, await consentRevoked(event.detail));
  // A purge cause: its outbox row waits for this confirmation, given once its notices and purges are written
  // (and a further page handed on), so a failure before is re-published by the outbox sweeper (decision 0421).
  await confirmOutboxEvent(event.detail.eventId, 'consumer');
  logger.info('Partner notices of ConsentRevoked', { outcomes });
});
