import { syncSchema } from '../../shared/consent/schema-sync.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import type { EventDetail } from '../../shared/platform/outbox.js';

/** Consumer of `ConsentSchemaChanged`: copies the schema's current entry onto every reference's consent row. */
interface SchemaChanged extends EventDetail {
  readonly schema: string;
}

export const handler = eventHandler<SchemaChanged>(async (event) => {
  const outcome = await syncSchema(event.detail.tenant, event.detail.schema);
  logger.info('Metamodel change copied to consent references', { ...outcome });
});
