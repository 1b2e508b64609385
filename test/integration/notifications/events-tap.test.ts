import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { putNotices } from './support.js';

/**
 * `npm run events`, the documented local tap (infra/local/events-tap.ts): recent events and, with --follow,
 * every new one, filtered by detail-type and tenant — run as a partner would run it, against the suite's bus.
 */
const children: ChildProcess[] = [];
afterAll(() => children.forEach((child) => child.kill('SIGTERM')));

function tap(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/events-tap.ts', '--events-url', process.env.MYDATA_EVENTS_URL!, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  children.push(child);
  const lines: Array<Record<string, unknown>> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, lines, exited };
}

const waitFor = async (probe: () => boolean, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('tap: nothing arrived in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const notice = (tenant: string, partnerId: string) => ({ tenant, partnerId, notice: 'data.deleted' as const, guest: 'g-tap' });

it('follows new PartnerNotices of one tenant, and nothing else', async () => {
  const tenant = `tap-${randomBytes(4).toString('hex')}`;
  const follower = tap(['--type', 'PartnerNotice', '--tenant', tenant, '--follow', '--no-recent']);
  // The tap is open once the tool has connected; give it a moment, then publish.
  await new Promise((r) => setTimeout(r, 1_500));
  await putNotices(process.env.MYDATA_EVENTS_URL!, [notice(`${tenant}-other`, 'P1'), notice(tenant, 'P2')]);
  await waitFor(() => follower.lines.length >= 1);
  await new Promise((r) => setTimeout(r, 300));
  expect(follower.lines).toHaveLength(1);
  expect(follower.lines[0]).toMatchObject({ source: 'mydata.profile', 'detail-type': 'PartnerNotice', detail: { tenant, partnerId: 'P2' } });
});

it('prints the recent events that match and exits without --follow', async () => {
  const tenant = `tap-${randomBytes(4).toString('hex')}`;
  await putNotices(process.env.MYDATA_EVENTS_URL!, [notice(tenant, 'P3')]);
  const recent = tap(['--type', 'PartnerNotice,SomethingElse', '--tenant', tenant]);
  expect(await recent.exited).toBe(0);
  expect(recent.lines.map((line) => (line.detail as { partnerId: string }).partnerId)).toEqual(['P3']);
});

it('says clearly when no platform is running', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/events-tap.ts', '--endpoints-file', '/nonexistent/endpoints.json'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(stderr).toContain('No running platform found');
});
