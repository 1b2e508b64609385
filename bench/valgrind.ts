/**
 * Module init cost as CPU instructions: `valgrind --tool=callgrind node <bundle>` loads the bundle (the
 * handler is never called) and reports the instructions executed, repeatable to about 1% (docs/decisions/0006).
 */
import { spawn } from 'node:child_process';

/**
 * What Lambda gives a function: the stack's variables, and nothing inherited from this shell (this machine's
 * NODE_EXTRA_CA_CERTS alone costs ~420 M instructions at start; Lambda's Node.js 20+ runtimes do not set it).
 */
const LAMBDA_ENV = {
  AWS_REGION: 'eu-central-1',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: 'mydata-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  TABLE_NAME: 'mydata-data',
  KEY_TABLE_NAME: 'mydata-keys',
  EVENT_BUS_NAME: 'mydata',
  KMS_KEY_ID: 'arn:aws:kms:eu-central-1:000000000000:key/bench',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'mydata',
};

/**
 * `--enable-source-maps`: the stack sets it in NODE_OPTIONS. `--predictable`: V8 runs its background tasks
 * (compilers, GC) on the main thread with fixed seeds; without it the count varies by 5-15% run to run on
 * a loaded machine, with it by under 0.01% (docs/decisions/0006-benchmark.md).
 */
export const NODE_FLAGS = ['--enable-source-maps', '--predictable'];

export async function initInstructions(bundleFile: string): Promise<number> {
  const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...NODE_FLAGS, bundleFile];
  const child = spawn('valgrind', args, { env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const collected = /Collected\s*:\s*(\d+)/.exec(stderr);
  if (code !== 0 || !collected) {
    const tail = stderr.split('\n').filter((line) => !line.startsWith('==')).slice(-5).join('\n');
    throw new Error(`valgrind node ${bundleFile} exited with ${code}: ${tail || 'no "Collected" line'}`);
  }
  return Number(collected[1]);
}

/** Runs tasks with at most `jobs` at a time; instruction counts do not depend on concurrency. */
export async function pool<T, R>(items: readonly T[], jobs: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}
