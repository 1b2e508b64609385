import { authorize, type Caller } from './access.js';
import * as z from 'zod/mini';
import { cursorBinding, invalidCursor, readCursor, writeCursor } from '../platform/cursor.js';
import { hashEntry, type HistoryEntry, type Verification } from './history.js';
import { GENESIS_HASH } from './model.js';
import { resolveReference } from './resolve.js';
import { loadHistoryFrom } from './store.js';

/**
 * Paging of the history (it grows with every change, without bound): at most `limit` entries and about
 * `HISTORY_PAGE_BYTES` of JSON per page, `next` continues after the last entry. The default call
 * (no parameters) answers the same shape as before; a chain that fits one page answers exactly as before.
 */
export const HISTORY_DEFAULT_LIMIT = 200;
export const HISTORY_MAX_LIMIT = 1000;
export const HISTORY_PAGE_BYTES = 1024 * 1024;

export interface HistoryView {
  readonly leadingConsentReference: string;
  /**
   * This page's entries checked: every hash, the link of the first entry to the stored entry before it
   * (or to the genesis), and on the last page that the chain ends at the head the reference recorded.
   * A client that reads every page with `valid: true` has verified the whole chain.
   */
  readonly verification: Verification;
  readonly entries: HistoryEntry[];
  /** The chain's length (the head's sequence number). */
  readonly chainLength: number;
  /** Opaque cursor of the next page; absent on the last page. */
  readonly next?: string;
}

export interface HistoryPageOptions {
  readonly limit?: number;
  readonly cursor?: string;
  /** Byte budget of the page's entries (JSON); the export passes what its page has left. */
  readonly maxBytes?: number;
}

const CURSOR_PURPOSE = 'consent-history';
const position = z.object({ after: z.number().check(z.int(), z.minimum(0), z.maximum(1e10)) });
const bindingOf = (tenant: string, leader: string) => cursorBinding(CURSOR_PURPOSE, tenant, leader);

const view = (e: HistoryEntry): HistoryEntry => ({
  seq: e.seq, at: e.at, actor: e.actor, action: e.action, changes: e.changes,
  ...(e.references ? { references: e.references } : {}), prevHash: e.prevHash, hash: e.hash,
});

/** Checks a segment: hashes, links from `anchor` (the stored entry before it) and, when `head` is given, the end. */
export function verifySegment(entries: readonly HistoryEntry[], after: number, anchor: HistoryEntry | undefined, head?: { seq: number; hash: string }): Verification {
  if (after > 0 && (!anchor || anchor.seq !== after)) return { valid: false, entries: 0, brokenAt: after, reason: 'sequence gap' };
  if (anchor && hashEntry(anchor) !== anchor.hash) return { valid: false, entries: 0, brokenAt: anchor.seq, reason: 'entry content does not match its hash' };
  let prev = anchor?.hash ?? GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const broken = (reason: string): Verification => ({ valid: false, entries: entries.length, brokenAt: entry.seq, reason });
    if (entry.seq !== after + index + 1) return broken('sequence gap');
    if (entry.prevHash !== prev) return broken('previous hash does not match');
    if (hashEntry(entry) !== entry.hash) return broken('entry content does not match its hash');
    prev = entry.hash;
  }
  if (head && (after + entries.length !== head.seq || prev !== head.hash)) {
    return { valid: false, entries: entries.length, brokenAt: after + entries.length + 1, reason: 'history does not end at the recorded head' };
  }
  return { valid: true, entries: entries.length };
}

/**
 * One page of the chain of `leader` (already authorised by the caller): reads the entry before the page
 * as the anchor of its first link, at most `limit` + 1 more, and keeps what fits the byte budget.
 */
export async function historyPage(
  tenant: string,
  leader: { ref: string; historySeq: number; historyHash: string },
  options: HistoryPageOptions = {},
): Promise<Omit<HistoryView, 'leadingConsentReference'>> {
  const limit = Math.min(Math.max(options.limit ?? HISTORY_DEFAULT_LIMIT, 1), HISTORY_MAX_LIMIT);
  const maxBytes = options.maxBytes ?? HISTORY_PAGE_BYTES;
  const binding = bindingOf(tenant, leader.ref);
  const after = options.cursor ? readCursor(options.cursor, CURSOR_PURPOSE, binding, position).after : 0;
  const head = { seq: leader.historySeq, hash: leader.historyHash };
  if (after > head.seq) throw invalidCursor('beyond the end of the history');
  // Entries appended after the head was read belong to the next read, not to this view of the chain.
  const rows = (await loadHistoryFrom(tenant, leader.ref, Math.max(after, 1), limit + (after > 0 ? 2 : 1)))
    .filter((e) => e.seq <= head.seq)
    .map(view);
  const anchor = after > 0 && rows[0]?.seq === after ? rows.shift() : undefined;
  const entries: HistoryEntry[] = [];
  let bytes = 0;
  for (const entry of rows) {
    const size = Buffer.byteLength(JSON.stringify(entry), 'utf8') + 1;
    if (entries.length >= limit || (entries.length > 0 && bytes + size > maxBytes)) break;
    entries.push(entry);
    bytes += size;
  }
  // More stored entries than this page took: the next page continues; otherwise this page must end at the head.
  const more = rows.length > entries.length;
  return {
    verification: verifySegment(entries, after, anchor, more ? undefined : head),
    entries,
    chainLength: head.seq,
    ...(more ? { next: writeCursor(CURSOR_PURPOSE, binding, { after: after + entries.length }) } : {}),
  };
}

/** `GET /{tenant}/consents/{ref}/history?limit=&next=`: a page of the leader's chain, checked link by link up to the head it recorded. */
export async function readHistory(tenant: string, ref: string, caller: Caller, options: HistoryPageOptions = {}): Promise<HistoryView> {
  authorize(caller, tenant, { to: 'call' });
  const target = await resolveReference(tenant, ref);
  authorize(caller, tenant, { to: 'view', target });
  const { leader } = target;
  return { leadingConsentReference: leader.ref, ...(await historyPage(tenant, leader, options)) };
}
