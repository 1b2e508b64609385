import { consentEvents } from '../../shared/consent/events.js';
import { eventHandler } from '../../shared/platform/events.js';
import { logger } from '../../shared/platform/observability.js';
import { eraseReferenceData } from '../../shared/profile/erasure.js';

/**
 * Consumer of `ConsentReferenceDeleted` (the consent context's declaration: `users` is always there,
 * empty for anonymous references): erases each user's profile data sealed under the deleted references.
 */
export const handler = eventHandler(consentEvents.ConsentReferenceDeleted, async ({ detail }) => {
  const refs = [detail.consentReference, ...detail.aliases];
  for (const user of detail.users) {
    const outcome = await eraseReferenceData(detail.tenant, user, refs);
    logger.info('Profile data of a deleted consent reference erased', { ...outcome });
  }
});
