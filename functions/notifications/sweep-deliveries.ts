import type { ScheduledEvent } from 'aws-lambda';
import { sweepDeliveries } from '../../shared/notifications/deliveries.js';
import { logger } from '../../shared/platform/observability.js';

/**
 * Scheduled (every minute in AWS, a timer locally): retries the deliveries whose backoff has passed and
 * parks those out of retries as dead letters (decision 0401). Uses the wall clock: the schedule's `time`
 * is when it was due, and a retry's due time is compared with the time the attempt really happens.
 */
export const handler = async (_event: Partial<ScheduledEvent>) => {
  const outcome = await sweepDeliveries();
  if (outcome.due > 0) logger.info('Notification deliveries retried', { ...outcome });
  return outcome;
};
