import { completeReference } from '../../shared/consent/creation.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import type { EventDetail } from '../../shared/platform/outbox.js';

/** Consumer of `ConsentReferenceRequested`: creates the consents and keys, then `ConsentReferenceCreated`. */
interface Requested extends EventDetail {
  readonly consentReference: string;
}

export const handler = eventHandler<Requested>(async (event) => {
  const outcome = await completeReference(event.detail.tenant, event.detail.consentReference);
  logger.info('Consent reference request handled', { outcome });
});
