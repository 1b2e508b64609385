/**
 * `npm run bench [-- --only <substring>] [--skip-init] [--skip-latency] [--skip-load] [--requests N] [--rounds N]
 *   [--load-requests N] [--connections N] [--load-rounds N] [--jobs N]` (`--only load`: the load run alone; `--only fanout`: the
 *   paged fan-out simulation at 100,000 references / 10,000 partners, bench/simulate-fanout.ts; `--only notifications`:
 *   a PartnerNotice's fan-out cost against 1, 10, 100 subscriptions, bench/scenarios/notifications.ts)
 * Prints two tables and writes bench/results.json. See bench/README.md and docs/decisions/0006-benchmark.md.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureInit } from './init.js';
import { measureLatency } from './latency.js';
import { NODE_FLAGS } from './valgrind.js';
import { initTable } from './report.js';
import { bareTable, loadTable } from './report-latency.js';
import { measurePortal, portalTable } from './portal.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'skip-init': { type: 'boolean', default: false },
    'skip-latency': { type: 'boolean', default: false },
    'skip-load': { type: 'boolean', default: false },
    'skip-portal': { type: 'boolean', default: false },
    requests: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    'load-requests': { type: 'string', default: '2000' },
    connections: { type: 'string', default: '20' },
    'load-rounds': { type: 'string', default: '3' },
    // Instruction counts do not depend on concurrency (node runs with --predictable); --jobs 1 runs them one by one.
    jobs: { type: 'string', default: String(availableParallelism()) },
  },
  strict: true,
});

const outDir = fileURLToPath(new URL('./out/', import.meta.url));
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const started = Date.now();
rmSync(outDir, { recursive: true, force: true });

// The paged fan-outs at full size (decision 0208) take minutes on DynamoDB Local: only when asked for.
if (values.only === 'fanout') {
  const { fanoutTable, simulateFanout } = await import('./simulate-fanout.js');
  const fanout = await simulateFanout({ references: 100_000, partners: 10_000, log });
  writeFileSync(new URL('./results-fanout.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), ...fanout }, null, 2)}\n`);
  console.log(`\nPaged fan-outs (DynamoDB Local, one invocation at a time)\n\n${fanoutTable(fanout)}`);
  process.exit(fanout.schema.complete && fanout.move.complete ? 0 : 1);
}

// A PartnerNotice's fan-out cost against the number of subscriptions (decision 0401): on its own DynamoDB Local.
if (values.only === 'notifications') {
  const { measureNotificationFanOut, notificationTable } = await import('./scenarios/notifications.js');
  const figures = await measureNotificationFanOut({ log });
  writeFileSync(new URL('./results-notifications.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), figures }, null, 2)}\n`);
  console.log(`\nNotification fan-out per PartnerNotice (DynamoDB Local, receiver on loopback)\n\n${notificationTable(figures)}`);
  process.exit(figures.every((f) => f.delivered === f.subscriptions) ? 0 : 1);
}

const init = await measureInit({ only: values.only, skipInit: values['skip-init'], jobs: Number(values.jobs), outDir, log });
const load = values['skip-load'] ? undefined : { requests: Number(values['load-requests']), connections: Number(values.connections), rounds: Number(values['load-rounds']) };
const latency = values['skip-latency'] ? undefined : await measureLatency({ only: values.only, requests: Number(values.requests), rounds: Number(values.rounds), load, log });

// The guest portal's weight and time to interactive in headless Chromium (issue 14, bench/portal.ts, decision 0502).
const portal = values['skip-portal'] || (values.only && !'portal'.includes(values.only)) ? undefined : await measurePortal({ log });

const results = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  valgrind: values['skip-init'] ? undefined : execFileSync('valgrind', ['--version']).toString().trim(),
  nodeFlags: NODE_FLAGS,
  options: values,
  durationSeconds: Math.round((Date.now() - started) / 1000),
  init,
  latency,
  portal,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

console.log(`\nBundle size and module init (${results.node}, ${results.platform}; instructions in millions, valgrind callgrind)\n`);
console.log(initTable(init));
if (latency) {
  console.log(`\nLatency (${latency.requestsPerScenario} sequential requests each in ${latency.rounds} rounds, in-process platform, DynamoDB Local) and SDK calls per request\n`);
  console.log(bareTable(latency));
  if (latency.load) {
    console.log(`\nLoad (${latency.load.connections} connections, ${latency.load.requestsPerRound} requests per round, median of ${latency.load.rounds} rounds)\n`);
    console.log(loadTable(latency.load));
  }
  console.log(`- shadow tables: GetItem p50 ${latency.shadowProbe.shadowMs} ms vs ${latency.shadowProbe.realMs} ms on the real table`);
  for (const note of latency.notes) console.log(`- ${note}`);
}
if (portal) console.log(`\nGuest portal (headless Chromium, local platform)\n\n${portalTable(portal)}`);
console.log(`\nwritten bench/results.json in ${results.durationSeconds} s`);
process.exit(0);
