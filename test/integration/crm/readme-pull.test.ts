import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The README's partner walk-through ("Notifications for a partner's CRM") run as written, checking what its
 * pull and acknowledgement lines print: the guest's data, 410 after the revoke, the acknowledgement recorded,
 * and the guest's view of it. (The notification side's own test checks the receiver's lines.)
 */
function walkThrough(): string {
  const readme = readFileSync('README.md', 'utf8');
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## Notifications for a partner's CRM")));
  if (!block) throw new Error('README has no bash block under "## Notifications for a partner\'s CRM"');
  return block[1]!;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("the README's pull and acknowledgement lines", () => {
  it('pull the wish list, answer 410 after the revoke, record the signed acknowledgement and show it to the guest', async () => {
    const run = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', walkThrough()], {
      encoding: 'utf8',
      timeout: 90_000,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        API: process.env.MYDATA_API_URL,
        DEMO: process.env.MYDATA_DEMO_FILE,
        RECEIVER_PORT: String(await freePort()),
        RECEIVER_LOG: join(mkdtempSync(join(tmpdir(), 'mydata-readme-crm-')), 'receiver.log'),
      },
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain("'Thorgal #1'");
    expect(run.stdout).toMatch(/^410$/m);
    expect(run.stdout).toMatch(/^true$/m);
    expect(run.stdout).toMatch(/^[A-Z0-9]+ consent\.revoked true$/m);
  }, 100_000);
});
