import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_ISSUER_KEY_FILE, loadIssuer } from './issuer.js';
import { startPlatform } from './platform.js';
import { seedDemoGuests } from './demo-guests.js';
import { seedDemo } from './seed.js';

/**
 * `npm start`: the whole platform on http://127.0.0.1:${PORT:-3000}, seeded with the demo tenant.
 * Flags: --in-memory (start clean, keep nothing), --port N, --data-dir DIR, --no-seed, --demo-file FILE,
 * --ready-json (print one JSON line with the endpoints once ready; used by the test suite),
 * --endpoints-file FILE (where the endpoints are written for `npm run replay`; default .local/endpoints.json
 * unless --ready-json).
 */
const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    port: { type: 'string' },
    'data-dir': { type: 'string', default: '.local/data' },
    'issuer-key': { type: 'string' },
    'no-seed': { type: 'boolean', default: false },
    'ready-json': { type: 'boolean', default: false },
    'demo-file': { type: 'string', default: '.local/demo.json' },
    'endpoints-file': { type: 'string' },
  },
  strict: true,
});

const port = Number(values.port ?? process.env.PORT ?? 3000);
const quiet = values['ready-json'];
const log = (line: string) => (quiet ? process.stderr : process.stdout).write(`${line}\n`);
const issuerKeyFile = values['issuer-key'] ?? process.env.MYDATA_ISSUER_KEY_FILE ?? DEFAULT_ISSUER_KEY_FILE;

const platform = await startPlatform({
  port,
  dataDir: values['in-memory'] ? undefined : values['data-dir'],
  issuerKeyFile,
  log: quiet ? () => undefined : log,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`\n${signal}: stopping…`);
  await platform.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));
if (quiet) {
  // Under a test runner: when the parent goes away (its end of our stdin closes), so do we.
  process.stdin.on('end', () => void shutdown('stdin closed'));
  process.stdin.resume();
}

let seedGuests: (() => Promise<'seeded' | 'present'>) | undefined;
try {
  if (!values['no-seed']) {
    const issuer = await loadIssuer(issuerKeyFile);
    const demo = await seedDemo(platform.apiUrl, issuer);
    log(`Demo tenant     ${demo.tenant} (root partner ${demo.rootPartnerId}, administrator ${demo.administratorPartnerId})`);
    // The local sign-in page's demo guests get data for the portal (/portal/) once the platform is ready (not before:
    // it takes seconds of consent activation and writes, and nothing else waits for it).
    seedGuests = () => seedDemoGuests(platform.apiUrl, issuer, demo.rootPartnerId);
    // Scripts (and the README's walk-through) read the demo ids from here.
    const demoFile = values['demo-file']!;
    mkdirSync(dirname(demoFile), { recursive: true });
    writeFileSync(demoFile, `${JSON.stringify({ ...demo, apiUrl: platform.apiUrl }, null, 2)}\n`);
  }
} catch (error) {
  log(`seeding failed: ${(error as Error).message}`);
  await platform.stop();
  process.exit(1);
}

const endpoints = {
  apiUrl: platform.apiUrl,
  dynamoUrl: platform.dynamoUrl,
  kmsUrl: platform.kmsUrl,
  eventsUrl: platform.eventsUrl,
  controlUrl: platform.controlUrl,
};
const endpointsFile = values['endpoints-file'] ?? (quiet ? undefined : '.local/endpoints.json');
if (endpointsFile) {
  // `npm run replay` (and other tools) find the running platform's endpoints here.
  mkdirSync(dirname(endpointsFile), { recursive: true });
  writeFileSync(endpointsFile, `${JSON.stringify(endpoints, null, 2)}\n`);
}

if (quiet) {
  process.stdout.write(`${JSON.stringify(endpoints)}\n`);
} else {
  log(`\nReady. Token: npm run --silent token -- --principal guest --tenant mycomicsshop --sub g-1 --scope "profile_consent_view profile_consent_manage"`);
  log('Ctrl-C stops everything.');
}
if (seedGuests) {
  seedGuests().then(
    (outcome) => log(`Demo guests     ${outcome === 'seeded' ? 'demo-anna and demo-ben have data now' : 'demo-anna and demo-ben have their data'} (sign in at ${platform.apiUrl}/portal/)`),
    (error: unknown) => log(`Demo guests     not seeded: ${(error as Error).message}`),
  );
}
