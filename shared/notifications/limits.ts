import { config } from '../platform/config.js';

/**
 * The documented limits of the notification service (docs/notifications.md, decisions 0400 and 0401).
 */
export const LIMITS = {
  /** Subscriptions per partner, enforced by a counter in each create's transaction. */
  subscriptionsPerPartner: 10,
  /** Subscription writes (create, change, delete, rotate, redrive) per partner per minute. */
  writesPerMinute: 30,
  /** Entity types one subscription may name. */
  entityTypesPerSubscription: 50,
  /** How long a rotated-out secret keeps signing deliveries beside the new one. */
  secretOverlapSeconds: 24 * 3600,
  /** Dead letters are kept this long, then expire (TTL). */
  deadLetterRetentionSeconds: 14 * 24 * 3600,
  /** Dead letters per page of the listing. */
  deadLettersPerPage: 50,
} as const;

/** The production backoff: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 12 h — about 33 hours, then a dead letter. */
export const PRODUCTION_RETRY_SECONDS: readonly number[] = [60, 300, 1800, 7200, 21600, 43200, 43200];

/** The pause before retry `n` (0-based); undefined: no retry left (dead letter). Configurable locally so tests run in seconds. */
export function retryDelaySeconds(failedAttempts: number): number | undefined {
  const schedule = config().notificationRetrySeconds.length > 0 ? config().notificationRetrySeconds : PRODUCTION_RETRY_SECONDS;
  return schedule[failedAttempts - 1];
}

/** A paused subscription's waiting row is looked at again this often in production (decision 0414). */
export const PRODUCTION_HOLD_RECHECK_SECONDS = 300;

/** How long a held row waits before it is looked at again: 5 minutes, or the short clock's first step locally. */
export function holdRecheckSeconds(): number {
  const schedule = config().notificationRetrySeconds;
  return schedule.length > 0 ? schedule[0]! : PRODUCTION_HOLD_RECHECK_SECONDS;
}
