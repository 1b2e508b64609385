/**
 * Delivery to rule targets the way EventBridge does it: after PutEvents has answered, with retries and
 * exponential backoff, and finally into a dead-letter store, so consumer failures are visible locally
 * (EventBridge would park them in the rule's DLQ).
 */
import type { EventEnvelope } from './put-events.js';

export type Target = (event: EventEnvelope) => Promise<void>;

export interface RetryPolicy {
  /** Total tries including the first one. */
  readonly attempts: number;
  /** Wait before the 2nd try; doubles for each further try (50, 100, 200 ms ...). */
  readonly baseDelayMs: number;
}

export interface DeadLetter {
  readonly ruleId: string;
  readonly event: EventEnvelope;
  readonly errorMessage: string;
  readonly attempts: number;
  /** When the event was parked (ISO 8601). */
  readonly time: string;
}

/** Small by default: locally a retry exists to ride out a blip, not to wait for a recovering service. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 50 };

/** Keeps the newest `capacity` items so a long-running local bus cannot grow without bound. */
export class BoundedLog<T> {
  private readonly items: T[] = [];
  constructor(private readonly capacity: number) {}
  add(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }
  list(): T[] {
    return [...this.items];
  }
  /** Removes and returns the items that match. */
  take(matches: (item: T) => boolean): T[] {
    const taken = this.items.filter(matches);
    const kept = this.items.filter((item) => !matches(item));
    this.items.splice(0, this.items.length, ...kept);
    return taken;
  }
}

export class Deliveries {
  private readonly inFlight = new Set<Promise<void>>();
  readonly deadLetters = new BoundedLog<DeadLetter>(1000);

  constructor(private readonly retry: RetryPolicy) {
    if (!Number.isInteger(retry.attempts) || retry.attempts < 1) throw new Error('retry.attempts must be an integer >= 1');
    if (!(retry.baseDelayMs >= 0)) throw new Error('retry.baseDelayMs must be >= 0');
  }

  /**
   * Re-delivers dead letters (`npm run replay`, POST /_local/dead-letters/replay): each matching letter
   * leaves the store and goes to its rule's target again with the same envelope (as an SQS redrive
   * would); one that fails again is parked again. Returns how many were replayed.
   */
  replay(targets: ReadonlyMap<string, Target>, matches: (letter: DeadLetter) => boolean = () => true): number {
    const letters = this.deadLetters.take((letter) => targets.has(letter.ruleId) && matches(letter));
    for (const letter of letters) this.dispatch(letter.ruleId, targets.get(letter.ruleId)!, letter.event);
    return letters.length;
  }

  /** Starts a delivery and returns at once; the caller never waits for the target. */
  dispatch(ruleId: string, target: Target, event: EventEnvelope): void {
    const delivery = this.deliver(ruleId, target, event).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Resolves once no delivery is running, including ones started while waiting. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(ruleId: string, target: Target, event: EventEnvelope): Promise<void> {
    // Yield first so delivery never starts inside the PutEvents request that produced the event.
    await new Promise((resolve) => setImmediate(resolve));
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      try {
        // Each attempt gets its own copy: a target that mutates the event must not change the retry.
        await target(structuredClone(event));
        return;
      } catch (error) {
        lastError = error;
        if (attempt < this.retry.attempts) await sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
    this.deadLetters.add({
      ruleId,
      event,
      errorMessage: lastError instanceof Error ? lastError.message : String(lastError),
      attempts: this.retry.attempts,
      time: new Date().toISOString(),
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
