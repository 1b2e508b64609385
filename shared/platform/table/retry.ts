import { ConditionFailed } from './transact.js';

/**
 * The one retry policy of table access: full-jitter exponential backoff (a random pause between 0 and
 * `min(capMs, baseMs * 2^attempt)`), a fixed number of tries, and a decision which failures are worth
 * another try. Races that must retry until they win use `RACE`; reads retrying throttled keys use `READ`.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly tries: number;
  readonly baseMs: number;
  readonly capMs: number;
}

/** A write that lost an optimistic race re-reads and tries again: many tries, short pauses. */
export const RACE: RetryPolicy = { tries: 12, baseMs: 20, capMs: 400 };
/** Throttled keys of a batch read (UnprocessedKeys): a few tries, a little longer pauses. */
export const READ: RetryPolicy = { tries: 8, baseMs: 25, capMs: 1000 };

export const backoffMs = (policy: RetryPolicy, attempt: number): number =>
  Math.random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt);

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RetryOptions<T> {
  readonly policy?: Partial<RetryPolicy>;
  /** Which failures another try may cure; anything else is thrown at once. */
  readonly retryable: (error: unknown) => boolean;
  /** The error thrown when the last try failed retryably (default: that failure itself). */
  readonly exhausted?: (error: unknown) => unknown;
  /** Result of an attempt that should be tried again (optional, e.g. "nothing processed yet"). */
  readonly again?: (result: T) => boolean;
}

/** Runs `attempt(n)` (n from 0) until it succeeds, fails for good, or the policy's tries are spent. */
export async function retry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const policy = { ...RACE, ...options.policy };
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!options.retryable(error)) throw error;
      if (n + 1 >= policy.tries) throw options.exhausted ? options.exhausted(error) : error;
      await pause(backoffMs(policy, n));
    }
  }
}

/**
 * A read-decide-write that lost its optimistic race (`ConditionFailed`) re-reads and tries again under
 * `RACE` until it wins; after the last try `exhausted()` is thrown (a domain "changed concurrently").
 */
export function untilWon<T>(attempt: () => Promise<T>, exhausted: () => unknown, policy: Partial<RetryPolicy> = RACE): Promise<T> {
  return retry(attempt, { policy, retryable: (error) => error instanceof ConditionFailed, exhausted });
}
