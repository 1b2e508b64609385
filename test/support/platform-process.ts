import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * The local platform in a child process, as `npm start` runs it (handlers under tsx), on free ports:
 * started with `--ready-json` and resolved with the endpoints it prints on its first line.
 */
export async function spawnPlatform(
  args: readonly string[],
  stderr: 'inherit' | 'ignore',
): Promise<{ child: ChildProcess; endpoints: Record<string, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', '--in-memory', '--port', '0', '--ready-json', ...args], {
    stdio: ['pipe', 'pipe', stderr],
    env: { ...process.env, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const endpoints = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('local platform did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`local platform exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as Record<string, string>);
    });
  });
  return { child, endpoints };
}

/** SIGTERM, and SIGKILL after 10 s; resolves once the platform (and with it its Java child) is gone. */
export async function stopPlatform(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
