import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadIssuer } from '../../../infra/local/issuer.js';

interface Started {
  child: ChildProcess;
  apiUrl: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'mydata-lifecycle-'));
const issuerKeyFile = join(scratch, 'issuer-key.json');

/** `npm start` as a user runs it, with a data folder, on a free port. */
async function start(dataDir: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'infra/local/main.ts', '--data-dir', dataDir, '--port', '0', '--no-seed', '--ready-json', '--issuer-key', issuerKeyFile],
    { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  return { child, apiUrl: JSON.parse(line).apiUrl };
}

function javaChildrenOf(pid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid,ppid,comm'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((row) => row.trim().split(/\s+/))
    .filter(([, ppid, comm]) => Number(ppid) === pid && comm === 'java')
    .map(([childPid]) => Number(childPid));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stopWith(signal: NodeJS.Signals, started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.once('exit', (code) => resolve(code));
    started.child.kill(signal);
  });
}

describe('npm start lifecycle', () => {
  it('keeps data across a restart and leaves no java or node process behind after SIGINT/SIGTERM', async () => {
    const dataDir = join(scratch, 'data');
    const token = await (await loadIssuer(issuerKeyFile)).sign({ principal: 'system', sub: 'ops' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const first = await start(dataDir);
    const java = javaChildrenOf(first.child.pid!);
    expect(java).toHaveLength(1);
    const put = await fetch(`${first.apiUrl}/admin/v1/consentClasses/Persisted`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ title: 'Survives restarts' }),
    });
    expect(put.status).toBe(201);
    expect(await stopWith('SIGINT', first)).toBe(0);
    expect(alive(java[0])).toBe(false);

    const second = await start(dataDir);
    const secondJava = javaChildrenOf(second.child.pid!);
    const list = await fetch(`${second.apiUrl}/profile-consent/v1/consentClasses`, { headers });
    const classes = (await list.json()) as Array<{ class: string; title: string }>;
    expect(classes).toContainEqual(expect.objectContaining({ class: 'Persisted', title: 'Survives restarts' }));
    expect(await stopWith('SIGTERM', second)).toBe(0);
    expect(secondJava.every((pid) => !alive(pid))).toBe(true);
  }, 120_000);
});
