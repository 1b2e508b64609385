import { consentEvents } from '../../shared/consent/events.js';
import { syncSchema } from '../../shared/consent/schema-sync.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';

/** Consumer of `ConsentSchemaChanged`: copies the schema's current entry onto every reference's consent row. */
export const handler = eventHandler(consentEvents.ConsentSchemaChanged, async (event) => {
  const outcome = await syncSchema(event.detail.tenant, event.detail.schema);
  logger.info('Metamodel change copied to consent references', { ...outcome });
});
