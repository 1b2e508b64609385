import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The bash block under "## Walk-through" in the README, exactly as a reader copies it. */
function walkThrough(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Walk-through'));
  const block = /```bash\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README has no bash block under "## Walk-through"');
  return block[1];
}

describe('the README walk-through', () => {
  it('works as written against the seeded platform', () => {
    const run = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', walkThrough()], {
      encoding: 'utf8',
      timeout: 150_000,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        API: process.env.MYDATA_API_URL,
        DEMO: process.env.MYDATA_DEMO_FILE,
      },
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const out = run.stdout;
    expect(out).toMatch(/^true$/m); // the consent history verifies
    expect(out).toContain('"favourites":["Captain Zbik #1","Kajko i Kokosz"]');
    expect(out).toContain('"name":"meineFavoriten-gh"'); // the friend's copy, named after Grace Hopper
    expect(out).toMatch(/^204$/m); // share withdrawn
    expect(out).toMatch(/"code":"\w+".* 410$/m); // revoked data stays unreadable after a new grant
    expect(out).toMatch(/"typ":"PERSON","vorname":"Hans".* 201$/m);
  }, 160_000);
});
