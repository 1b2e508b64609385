import type { ScheduledEvent } from 'aws-lambda';
import { sweepStagedChanges } from '../../shared/consent/settling.js';
import { logger } from '../../shared/platform/observability.js';

/**
 * Scheduled (every 5 minutes in AWS, a timer locally): finishes staged consent changes older than 2 minutes
 * — settles a committed one (so a revoke's keys are destroyed), rolls back one whose head never committed
 * (decision 0209). The schedule's `time` is the sweep's clock.
 */
export const handler = async (event: Partial<ScheduledEvent>) => {
  const time = event.time ? new Date(event.time) : new Date();
  const outcome = await sweepStagedChanges({ now: Number.isNaN(time.getTime()) ? new Date() : time });
  if (outcome.found > 0) logger.warn('Staged consent changes finished by the sweeper', { ...outcome });
  return outcome;
};
