import { describe, expect, it } from '@jest/globals';
import { type HistoryEntry, nextEntry, verifyChain } from '../../../shared/consent/history.js';
import { GENESIS_HASH } from '../../../shared/consent/model.js';

const actor = { kind: 'guest', sub: 'g-1' };

function chain(length: number): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let i = 0; i < length; i++) {
    const entry = nextEntry(head, {
      at: `2026-01-01T00:00:0${i}.000Z`,
      actor,
      action: i % 2 === 0 ? 'granted' : 'revoked',
      changes: [{ schema: 'nodes/commerce/Cart', from: i % 2 === 1, to: i % 2 === 0 }],
    });
    entries.push(entry);
    head = { seq: entry.seq, hash: entry.hash };
  }
  return entries;
}

const headOf = (entries: HistoryEntry[]) => ({ seq: entries.length, hash: entries.at(-1)?.hash ?? GENESIS_HASH });

describe('the tamper-evident consent history', () => {
  it('verifies an untouched chain and the empty chain', () => {
    const entries = chain(5);
    expect(verifyChain(entries, headOf(entries))).toEqual({ valid: true, entries: 5 });
    expect(verifyChain([], { seq: 0, hash: GENESIS_HASH })).toEqual({ valid: true, entries: 0 });
  });

  it('links each entry to the hash of the one before', () => {
    const entries = chain(3);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[2].prevHash).toBe(entries[1].hash);
  });

  it.each([
    ['who', (e: HistoryEntry) => ({ ...e, actor: { kind: 'tenant', sub: 'admin' } })],
    ['when', (e: HistoryEntry) => ({ ...e, at: '2030-01-01T00:00:00.000Z' })],
    ['which schema', (e: HistoryEntry) => ({ ...e, changes: [{ ...e.changes[0], schema: 'other' }] })],
    ['from what to what', (e: HistoryEntry) => ({ ...e, changes: [{ ...e.changes[0], to: !e.changes[0].to }] })],
    ['the action', (e: HistoryEntry) => ({ ...e, action: 'blocked' as const })],
  ])('detects an edit of %s in any stored entry', (_what, edit) => {
    const entries = chain(4);
    for (let i = 0; i < entries.length; i++) {
      const tampered = entries.map((e, j) => (j === i ? edit(e) : e));
      const result = verifyChain(tampered, headOf(entries));
      expect(result.valid).toBe(false);
      expect(result.brokenAt).toBe(i + 1);
    }
  });

  it('detects a recomputed entry hash through the next link, and a rewritten tail through the head', () => {
    const entries = chain(3);
    const forged = nextEntry({ seq: 1, hash: entries[0].hash }, { at: entries[1].at, actor, action: 'granted', changes: [] });
    const result = verifyChain([entries[0], forged, entries[2]], headOf(entries));
    expect(result).toMatchObject({ valid: false, brokenAt: 3 });
    expect(verifyChain([entries[0], forged], headOf(entries))).toMatchObject({ valid: false });
  });

  it('detects removed, reordered and truncated entries', () => {
    const entries = chain(4);
    expect(verifyChain([entries[0], entries[2], entries[3]], headOf(entries)).valid).toBe(false);
    expect(verifyChain([entries[1], entries[0], entries[2], entries[3]], headOf(entries)).valid).toBe(false);
    expect(verifyChain(entries.slice(0, 3), headOf(entries))).toMatchObject({ valid: false, reason: 'history does not end at the recorded head' });
  });
});
