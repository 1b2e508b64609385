import { eraseReferenceData } from '../../shared/profile/erasure.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import type { EventDetail } from '../../shared/platform/outbox.js';

/** Consumer of `ConsentReferenceDeleted`: erases each user's profile data sealed under the deleted references. */
interface ReferenceDeleted extends EventDetail {
  readonly consentReference: string;
  readonly aliases: readonly string[];
  readonly users?: readonly string[];
}

export const handler = eventHandler<ReferenceDeleted>(async ({ detail }) => {
  const refs = [detail.consentReference, ...detail.aliases];
  for (const user of detail.users ?? []) {
    const outcome = await eraseReferenceData(detail.tenant, user, refs);
    logger.info('Profile data of a deleted consent reference erased', { ...outcome });
  }
});
