import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { GENESIS_HASH } from './model.js';

/**
 * The tamper-evident history of one reference: each entry carries the hash of the one before it and
 * its own hash over its content; the reference item holds the head (sequence and hash), so changing,
 * removing or reordering any stored entry, or cutting the tail, breaks verification.
 */
export type HistoryAction =
  | 'created'
  | 'granted'
  | 'revoked'
  | 'blocked'
  | 'unblocked'
  | 'merged'
  /** On a leader: one of its aliases was deleted (by its owner or the tenant) and is no longer merged. */
  | 'detached'
  | 'deleted';

export interface ConsentChange {
  readonly schema: string;
  readonly from: boolean;
  readonly to: boolean;
}

export interface HistoryActor {
  readonly kind: string;
  readonly sub: string;
}

export interface HistoryContent {
  readonly seq: number;
  readonly at: string;
  readonly actor: HistoryActor;
  readonly action: HistoryAction;
  readonly changes: readonly ConsentChange[];
  /** Other references involved (aliases of a merge, a deletion or a detachment; aliases whose keys a revoke destroyed). */
  readonly references?: readonly string[];
  readonly prevHash: string;
}

export interface HistoryEntry extends HistoryContent {
  readonly hash: string;
}

/** A stored entry's fields: the row schema of the store and the answer schema of the API description. */
export const historyEntryShape = {
  seq: z.number(),
  at: z.string(),
  actor: z.object({ kind: z.string(), sub: z.string() }),
  action: z.enum(['created', 'granted', 'revoked', 'blocked', 'unblocked', 'merged', 'detached', 'deleted']),
  changes: z.array(z.object({ schema: z.string(), from: z.boolean(), to: z.boolean() })),
  references: z.optional(z.array(z.string())),
  prevHash: z.string(),
  hash: z.string(),
} satisfies Record<keyof HistoryEntry, z.ZodMiniType>;

/** Canonical form: fixed field order, so the same content always hashes the same. */
function canonical(c: HistoryContent): string {
  return JSON.stringify([
    c.seq,
    c.at,
    [c.actor.kind, c.actor.sub],
    c.action,
    c.changes.map((ch) => [ch.schema, ch.from, ch.to]),
    c.references ?? [],
    c.prevHash,
  ]);
}

export function hashEntry(content: HistoryContent): string {
  return createHash('sha256').update(canonical(content)).digest('hex');
}

export function nextEntry(
  head: { seq: number; hash: string },
  content: Omit<HistoryContent, 'seq' | 'prevHash'>,
): HistoryEntry {
  const full: HistoryContent = { ...content, seq: head.seq + 1, prevHash: head.hash };
  return { ...full, hash: hashEntry(full) };
}

export interface Verification {
  readonly valid: boolean;
  readonly entries: number;
  /** The first sequence number where the chain breaks. */
  readonly brokenAt?: number;
  readonly reason?: string;
}

/** Checks every link and that the chain ends at the head the reference recorded. */
export function verifyChain(entries: readonly HistoryEntry[], head: { seq: number; hash: string }): Verification {
  let prev = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const broken = (reason: string): Verification => ({ valid: false, entries: entries.length, brokenAt: entry.seq, reason });
    if (entry.seq !== index + 1) return broken('sequence gap');
    if (entry.prevHash !== prev) return broken('previous hash does not match');
    if (hashEntry(entry) !== entry.hash) return broken('entry content does not match its hash');
    prev = entry.hash;
  }
  if (entries.length !== head.seq || prev !== head.hash) {
    return { valid: false, entries: entries.length, brokenAt: entries.length + 1, reason: 'history does not end at the recorded head' };
  }
  return { valid: true, entries: entries.length };
}
