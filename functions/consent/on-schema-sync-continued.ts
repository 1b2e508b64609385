import { consentEvents } from '../../shared/consent/events.js';
import { syncSchemaPage } from '../../shared/consent/schema-sync.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import { confirmOutboxEvent } from '../../shared/platform/outbox-delivery.js';

/**
 * Consumer of `ConsentSchemaSyncContinued`: the next page of a schema fan-out (decision 0208). Confirms
 * its outbox row only after the page and the next hand-over, so a crashed page is re-published by the
 * sweeper and resumes at its cursor; a re-run page rewrites the same revision and hands on under the
 * same event id (no second chain).
 */
export const handler = eventHandler(consentEvents.ConsentSchemaSyncContinued, async (event) => {
  const { tenant, schema, revision, cursor } = event.detail;
  const outcome = await syncSchemaPage(tenant, schema, revision, cursor);
  await confirmOutboxEvent(event.detail.eventId, 'consumer');
  logger.info('Metamodel change copied to a further page of consent references', { ...outcome });
});
