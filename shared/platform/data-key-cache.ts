/**
 * A bounded, time-limited LRU of plaintext data keys, keyed by the wrapped key (the handle).
 *
 * - The TTL counts from insertion, not from last use: a hot key still goes back to KMS once per
 *   TTL, which bounds how long a key keeps working here after it was revoked elsewhere.
 * - An entry remembers the encryption context it was decrypted with and only answers for that
 *   context, so the cache never skips a context check that KMS would have made.
 * - Keys are copied in and out, and zeroed when they leave the cache, so a caller can wipe its
 *   copy without corrupting the cache and eviction cannot pull a key out from under a caller.
 */
export interface DataKeyCacheOptions {
  /** Upper bound of entries; the least recently used entry goes first. */
  readonly maxEntries: number;
  /** Lifetime of an entry in milliseconds. */
  readonly ttlMs: number;
  /** Clock in epoch milliseconds (tests move it). */
  readonly now?: () => number;
}

interface Entry {
  readonly key: Buffer;
  readonly contextId: string;
  readonly expiresAt: number;
}

export class DataKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: DataKeyCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) throw new RangeError('maxEntries must be >= 1');
    if (!(options.ttlMs > 0)) throw new RangeError('ttlMs must be > 0');
    this.now = options.now ?? Date.now;
  }

  /** A copy of the key cached for `handle` under exactly `contextId`, or undefined. */
  get(handle: string, contextId: string): Buffer | undefined {
    const entry = this.entries.get(handle);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.forget(handle);
      return undefined;
    }
    if (entry.contextId !== contextId) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(handle);
    this.entries.set(handle, entry);
    return Buffer.from(entry.key);
  }

  set(handle: string, contextId: string, key: Uint8Array): void {
    this.forget(handle);
    this.entries.set(handle, { key: Buffer.from(key), contextId, expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.forget(oldest);
    }
  }

  /** Evicts and wipes the key of `handle` (on revoke); true if there was one. */
  forget(handle: string): boolean {
    const entry = this.entries.get(handle);
    if (!entry) return false;
    entry.key.fill(0);
    return this.entries.delete(handle);
  }

  clear(): void {
    for (const handle of [...this.entries.keys()]) this.forget(handle);
  }

  get size(): number {
    return this.entries.size;
  }
}
