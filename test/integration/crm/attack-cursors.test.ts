import { CHANGES_SETTLE_MS } from '../../../shared/crm/pull.js';
import { cursorBinding, writeCursor } from '../../../shared/platform/cursor.js';
import { profileWorld, type World } from '../profile/support.js';
import { pull } from './support.js';

/**
 * Attack finding M3 (CRM side): the change feed's cursor carries the window `from`/`to`, bound only by a hash
 * anyone can compute. A forged window must be held to the same rules as `changedSince`: not beyond the feed's
 * retention (400 ChangedSinceTooOld) and never into the 2 s settle window or the future (400 InvalidCursor).
 */
let world: World;

beforeAll(async () => {
  world = await profileWorld();
});

const forged = (from: Date, to: Date) =>
  writeCursor('crm-changes', cursorBinding('crm-changes', world.tenant, world.partnerA), { s: 0, from: from.toISOString(), to: to.toISOString() });
const changes = (cursor: string) => pull(world.tenant, world.partnerA, `/changes?next=${cursor}`);

describe('change-feed cursors are held to the rules of changedSince', () => {
  it('refuses a window starting beyond the feed retention', async () => {
    const answer = await changes(forged(new Date(0), new Date(Date.now() - 60_000)));
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'ChangedSinceTooOld' });
  });

  it('refuses a window reaching into the settle window or the future, or ending before it starts', async () => {
    const now = Date.now();
    for (const [from, to, code] of [
      [now - 60_000, now, 'InvalidCursor'],
      [now - 60_000, now + 3_600_000, 'InvalidCursor'],
      [now - 60_000, now - 120_000, 'InvalidCursor'],
      [now + 3_600_000, now + 3_600_000, 'ChangedSinceInFuture'],
    ] as const) {
      const answer = await changes(forged(new Date(from), new Date(to)));
      expect({ from, to, status: answer.status, code: answer.body.code }).toEqual({ from, to, status: 400, code });
    }
  });

  it('accepts a window the query itself could have issued', async () => {
    const answer = await changes(forged(new Date(Date.now() - 3_600_000), new Date(Date.now() - CHANGES_SETTLE_MS - 1000)));
    expect(answer.status).toBe(200);
    expect(answer.body.changes).toEqual([]);
  });
});
