import { consentEvents } from '../../shared/consent/events.js';
import { syncSchemaPage } from '../../shared/consent/schema-sync.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';

/**
 * Consumer of `ConsentSchemaChanged`: copies the schema's current entry onto the first page of the
 * tenant's references and hands the rest on as `ConsentSchemaSyncContinued` (decision 0208).
 */
export const handler = eventHandler(consentEvents.ConsentSchemaChanged, async (event) => {
  const outcome = await syncSchemaPage(event.detail.tenant, event.detail.schema, event.detail.revision);
  logger.info('Metamodel change copied to a page of consent references', { ...outcome });
});
