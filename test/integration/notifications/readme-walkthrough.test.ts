import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../infra/local/free-port.js';
import { runReadmeBlock } from '../../support/readme-block.js';

/**
 * The README's partner walk-through ("Notifications for a partner's CRM") run once, as written, against the
 * seeded platform: the receiver's lines (signed notices it verifies, rotation, delete) and the pull and
 * acknowledgement lines (the guest's data, 410 after the revoke, the acknowledgement recorded and shown to the
 * guest). One run for both: the block is one story, and two runs of it would race on the demo tenant.
 */
describe("the README's notification walk-through", () => {
  it('works as written: verified notices, the pull, 410 after the revoke, the signed acknowledgement', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'mydata-readme-notify-'));
    const run = runReadmeBlock("## Notifications for a partner's CRM", 150_000, {
      RECEIVER_PORT: String(await freePort()),
      RECEIVER_LOG: join(scratch, 'receiver.log'),
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const out = run.stdout;
    expect(out).toMatch(/^verified subscription\.verification$/m);
    expect(out).toMatch(/^verified data\.created$/m);
    expect(out).not.toContain('FORGED');
    expect(out).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/m); // the old secret's end of overlap
    expect(out).toMatch(/^204$/m);
    expect(out).toContain("'Thorgal #1'"); // the pulled wish list
    expect(out).toMatch(/^410$/m); // the pull after the revoke
    expect(out).toMatch(/^true$/m); // the acknowledgement recorded
    expect(out).toMatch(/^[A-Z0-9]+ consent\.revoked true$/m); // the guest's view of it
  }, 160_000);
});
