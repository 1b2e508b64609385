import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The first bash block under a README heading, exactly as a reader copies it. */
export function readmeBlock(heading: string): string {
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf(heading);
  const block = at < 0 ? null : /```bash\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`README has no bash block under "${heading}"`);
  return block[1]!;
}

/**
 * Runs a README block with `bash -e -o pipefail` against the suite's platform (`$API`, `$DEMO`), as a reader
 * would after `npm start`; `env` adds what the block expects beside them.
 */
export function runReadmeBlock(heading: string, timeoutMs: number, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync('bash', ['-e', '-o', 'pipefail', '-c', readmeBlock(heading)], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      API: process.env.MYDATA_API_URL,
      DEMO: process.env.MYDATA_DEMO_FILE,
      ...env,
    },
  });
}
