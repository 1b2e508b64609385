import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Without `.js`: jest loads global setup and teardown outside its module mapper, where `.js` finds no `.ts` file.
import { spawnPlatform } from './platform-process';

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
  const { child, endpoints } = await spawnPlatform(['--issuer-key', issuerKeyFile, '--demo-file', demoFile], 'inherit');
  globalThis.__MYDATA_PLATFORM__ = child;
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
