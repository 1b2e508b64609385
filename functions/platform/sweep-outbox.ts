import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '../../shared/platform/observability.js';
import { sweepOutbox } from '../../shared/platform/outbox-delivery.js';

/**
 * Scheduled (every minute in AWS, a timer locally): re-publishes outbox rows not confirmed after their
 * due time, bounded work per run (docs/delivery.md). The schedule's `time` is the sweep's clock.
 */
export const handler = async (event: Partial<ScheduledEvent>) => {
  const now = event.time ? new Date(event.time) : new Date();
  const outcome = await sweepOutbox({ now: Number.isNaN(now.getTime()) ? new Date() : now });
  if (outcome.due > 0) logger.warn('Outbox rows re-published', { ...outcome });
  return outcome;
};
