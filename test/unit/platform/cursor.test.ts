import * as z from 'zod/mini';
import { cursorBinding, readCursor, writeCursor } from '../../../shared/platform/cursor.js';

const position = z.object({ after: z.number().check(z.int(), z.minimum(0)) });
const mine = cursorBinding('listing', 'tenant-a', 'guest-1');

describe('page cursors', () => {
  it('round-trip a position for the same purpose and owner', () => {
    expect(readCursor(writeCursor('listing', mine, { after: 7 }), 'listing', mine, position)).toEqual({ after: 7 });
  });

  it('refuse another owner, another purpose, garbage and tampered positions with 400 InvalidCursor', () => {
    const cursor = writeCursor('listing', mine, { after: 7 });
    const refusals = [
      () => readCursor(cursor, 'listing', cursorBinding('listing', 'tenant-a', 'guest-2'), position),
      () => readCursor(cursor, 'listing', cursorBinding('listing', 'tenant-b', 'guest-1'), position),
      () => readCursor(cursor, 'history', mine, position),
      () => readCursor('not base64!', 'listing', mine, position),
      () => readCursor(Buffer.from('{"v":1').toString('base64url'), 'listing', mine, position),
      () => readCursor(Buffer.from('null').toString('base64url'), 'listing', mine, position),
      () => readCursor(writeCursor('listing', mine, { after: -1 }), 'listing', mine, position),
      () => readCursor(writeCursor('listing', mine, { after: '7' }), 'listing', mine, position),
      () => readCursor(Buffer.from(JSON.stringify({ v: 2, p: 'listing', b: mine, after: 1 })).toString('base64url'), 'listing', mine, position),
    ];
    for (const refuse of refusals) expect(refuse).toThrow(expect.objectContaining({ kind: 'Invalid', code: 'InvalidCursor' }));
  });

  it('keep the owner out of the cursor (only a hash of it)', () => {
    const text = Buffer.from(writeCursor('listing', mine, { after: 1 }), 'base64url').toString('utf8');
    expect(text).not.toContain('guest-1');
    expect(text).not.toContain('tenant-a');
  });
});
