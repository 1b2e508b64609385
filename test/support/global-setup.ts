import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

declare global {
  var __MYDATA_PLATFORM__: ChildProcess | undefined;
}

/**
 * Starts the whole local platform once per test run, as `npm start --in-memory` (seeded with the demo
 * tenant, which the README walk-through test uses) on free ports, in a
 * child process (the handlers run there under tsx, exactly as with `npm start`). Tests reach it over
 * HTTP and through the SDK at the endpoints exported here.
 */
export default async function globalSetup(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'mydata-test-'));
  const issuerKeyFile = join(scratch, 'issuer-key.json');
  const demoFile = join(scratch, 'demo.json');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'infra/local/main.ts', '--in-memory', '--port', '0', '--ready-json', '--issuer-key', issuerKeyFile, '--demo-file', demoFile],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
  );
  globalThis.__MYDATA_PLATFORM__ = child;
  const endpoints = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('local platform did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`local platform exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as Record<string, string>);
    });
  });
  Object.assign(process.env, {
    MYDATA_API_URL: endpoints.apiUrl,
    MYDATA_DYNAMODB_URL: endpoints.dynamoUrl,
    MYDATA_KMS_URL: endpoints.kmsUrl,
    MYDATA_EVENTS_URL: endpoints.eventsUrl,
    MYDATA_CONTROL_URL: endpoints.controlUrl,
    MYDATA_ISSUER_KEY_FILE: issuerKeyFile,
    MYDATA_DEMO_FILE: demoFile,
  });
}
