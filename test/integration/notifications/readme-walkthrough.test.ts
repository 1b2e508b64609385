import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The bash block under "## Notifications for a partner's CRM" in the README, exactly as a reader copies it. */
function walkThrough(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf("## Notifications for a partner's CRM"));
  const block = /```bash\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README has no bash block under "## Notifications for a partner\'s CRM"');
  return block[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("the README's notification walk-through", () => {
  it('works as written against the seeded platform: the receiver gets signed notices it verifies', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'mydata-readme-notify-'));
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
        RECEIVER_LOG: join(scratch, 'receiver.log'),
      },
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^verified subscription\.verification$/m);
    expect(run.stdout).toMatch(/^verified data\.created$/m);
    expect(run.stdout).not.toContain('FORGED');
    expect(run.stdout).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/m); // the old secret's end of overlap
    expect(run.stdout).toMatch(/^204$/m);
  }, 100_000);
});
