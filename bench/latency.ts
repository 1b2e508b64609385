/**
 * Part 2: the whole platform in-process (in-memory), seeded through the API; each scenario runs N
 * sequential requests, timed from send to the last byte, with the SDK calls each request makes. Each
 * request is interleaved with its baselines: a bare SDK GetItem before it (decision 0006), and after it
 * the same SDK calls it made, replayed bare (bench/replay.ts, decision 0130), and the gateway's floor
 * (an HTTP request the gateway answers itself). Then the load run (bench/load.ts).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { catalog } from '../infra/catalog/index.js';
import { localCredentials } from '../infra/local/dynamodb.js';
import { loadIssuer } from '../infra/local/issuer.js';
import { LOCAL_NAMES, startPlatform } from '../infra/local/platform.js';
import { DEMO_CONSENT_CLASSES, seedDemo } from '../infra/local/seed.js';
import { takeSdkCalls } from '../shared/platform/sdk-calls.js';
import { LOAD_NAME, type LoadResults, prepareLoad, runLoad } from './load.js';
import { type BareClients, type RecordedCall, REQUEST_ID_HEADER, Shadow, bareClients, installRecorder, replay, roundTrips, startRecording, timeline } from './replay.js';
import type { BenchContext, BenchRequest, BenchResponse, PreparedScenario, Scenario } from './scenario.js';

export const LATENCY_TARGET = { maxP50OverBaseline: 2, maxP50OverBare: 1.3 };

export interface Timing {
  readonly n: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface ScenarioResult extends Partial<Timing> {
  readonly name: string;
  readonly skipped?: string;
  readonly error?: string;
  /** Calls per request (median and max) by service (`DynamoDB`, `KMS`) and by operation (`DynamoDB.Query`). */
  readonly callsPerRequest?: Record<string, { readonly median: number; readonly max: number }>;
  /** Each distinct set of operations one request made, and how many requests made it; most frequent first. */
  readonly callPatterns?: ReadonlyArray<{ readonly operations: Record<string, number>; readonly requests: number }>;
  readonly maxCalls?: Readonly<Record<string, number>>;
  /** The GetItems interleaved with this scenario's requests (one before each request). */
  readonly baseline?: Timing;
  readonly p50OverBaseline?: number;
  /** The same SDK calls as each request, replayed bare right after it (same order and parallelism, fresh clients). */
  readonly bare?: Timing;
  /**
   * p50 over the bare sequence's p50: the median of the rounds' ratios (each round's requests and replays
   * interleaved), with the lowest and highest round; `withoutHop` subtracts the gateway floor's p50 first.
   */
  readonly overBare?: { readonly p50: number; readonly rounds: readonly number[]; readonly withoutHop: number };
  /** The gateway's floor, interleaved: a request it answers itself (HTTP, routing, no JWT, no function). */
  readonly hop?: Timing;
  /** Sequential round trips per request (calls overlapping in time count once): median and max. */
  readonly roundTrips?: { readonly median: number; readonly max: number };
  /** Each distinct call chain (`Query → TransactWriteItems`, parallel calls joined with `+`), most frequent first. */
  readonly timelines?: ReadonlyArray<{ readonly timeline: string; readonly requests: number }>;
  /** Replayed calls whose outcome differed from the recorded one (the shadow tables diverged); should be 0. */
  readonly replayMismatches?: number;
  readonly pass?: { readonly latency: boolean; readonly bare?: boolean; readonly calls?: boolean };
}

export interface LatencyResults {
  readonly targets: typeof LATENCY_TARGET;
  readonly requestsPerScenario: number;
  /** All baseline GetItems of the run (each scenario also has its own, interleaved with its requests). */
  readonly baseline: Timing & { readonly name: string };
  readonly rounds: number;
  readonly scenarios: ScenarioResult[];
  readonly load?: LoadResults;
  /** GetItem p50 on the real vs the shadow main table (bare client): how far the shadow tables bias write replays. */
  readonly shadowProbe: { readonly realMs: number; readonly shadowMs: number };
  readonly notes: readonly string[];
}

const WARMUP = 20;

export interface LatencyOptions {
  readonly only?: string;
  readonly requests: number;
  /** Rounds the requests are split into; ratios are the median of the rounds'. */
  readonly rounds: number;
  readonly load?: { readonly requests: number; readonly connections: number; readonly rounds: number };
  readonly log: (line: string) => void;
}

export async function measureLatency(options: LatencyOptions): Promise<LatencyResults> {
  const scratch = mkdtempSync(join(tmpdir(), 'mydata-bench-'));
  const issuerKeyFile = join(scratch, 'issuer-key.json');
  const platform = await startPlatform({ port: 0, issuerKeyFile });
  try {
    Object.assign(process.env, {
      // test/support/api.ts helpers read these, so scenarios may reuse them.
      MYDATA_API_URL: platform.apiUrl,
      MYDATA_DYNAMODB_URL: platform.dynamoUrl,
      MYDATA_KMS_URL: platform.kmsUrl,
      MYDATA_EVENTS_URL: platform.eventsUrl,
      MYDATA_ISSUER_KEY_FILE: issuerKeyFile,
    });
    const issuer = await loadIssuer(issuerKeyFile);
    const seeded = await seedDemo(platform.apiUrl, issuer);
    const rawDynamo = new DynamoDBClient({ endpoint: platform.dynamoUrl, region: LOCAL_NAMES.region, credentials: localCredentials });
    const context: BenchContext = {
      ...seeded,
      consentClasses: DEMO_CONSENT_CLASSES.map((entry) => entry.class),
      call: (request) => send(platform.apiUrl, request),
      token: (claims) => issuer.sign({ ...claims }),
      systemToken: () => issuer.sign({ principal: 'system', sub: 'bench-operator' }),
      dynamo: DynamoDBDocumentClient.from(rawDynamo),
      tableNames: { data: LOCAL_NAMES.tableName, keys: LOCAL_NAMES.keyTableName },
    };

    // DynamoDB Local is a JVM that gets faster over its first thousand requests.
    const getItem = await getItemBaseline(rawDynamo);
    for (let i = 0; i < 1000; i++) await getItem();
    installRecorder();
    const bare = bareClients({ dynamo: platform.dynamoUrl, kms: platform.kmsUrl, events: platform.eventsUrl });
    const hop = hopBaseline(platform.apiUrl);
    const shadow = new Shadow(rawDynamo);
    await shadow.create();

    // Set up everything first, then copy the tables for the bare replays (bench/replay.ts).
    const selected = (await loadScenarios()).filter((scenario) => !options.only || scenario.name.includes(options.only));
    const prepared: Array<{ scenario: Scenario; prepared?: PreparedScenario; result?: ScenarioResult }> = [];
    for (const scenario of selected) {
      options.log(`preparing ${scenario.name}`);
      prepared.push({ scenario, ...(await prepareScenario(scenario, context)) });
    }
    const withLoad = options.load && (!options.only || LOAD_NAME.startsWith(options.only));
    if (withLoad) options.log('preparing the load run');
    const loadWorld = withLoad ? await prepareLoad(context, options.load!.connections) : undefined;
    shadow.listen();

    const scenarios: ScenarioResult[] = [];
    const allBaseline: number[] = [];
    const measure = { apiUrl: platform.apiUrl, n: options.requests, rounds: options.rounds, getItem, hop, bare, shadow, allBaseline };
    for (const [index, entry] of prepared.entries()) {
      const result = entry.result ?? (await runScenario(entry.scenario, entry.prepared!, index, measure));
      options.log(
        `scenario ${entry.scenario.name}: ${result.skipped ?? result.error ?? `p50 ${result.p50Ms} ms, bare ${result.bare?.p50Ms} ms (×${result.overBare?.p50 ?? '-'}), GetItem ${result.baseline?.p50Ms} ms`}`,
      );
      scenarios.push(result);
    }
    const load = loadWorld ? await runLoad(loadWorld, { apiUrl: platform.apiUrl, bare, shadow, ...options.load!, log: options.log }) : undefined;
    const baseline = { name: 'bare DynamoDB Local GetItem (SDK), all', ...percentiles(allBaseline) };
    const shadowProbe = await shadow.probe(bare);
    return { targets: LATENCY_TARGET, requestsPerScenario: options.requests, rounds: options.rounds, baseline, scenarios, load, shadowProbe, notes: NOTES };
  } finally {
    await platform.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function loadScenarios(): Promise<Scenario[]> {
  const dir = fileURLToPath(new URL('./scenarios/', import.meta.url));
  const files = readdirSync(dir).filter((file) => file.endsWith('.ts')).sort();
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(join(dir, file)).href) as Promise<{ scenarios?: Scenario[] }>));
  return modules.flatMap((module) => module.scenarios ?? []);
}

const NOTES = [
  'A busy shared 2-core machine: every figure is noisy. Each request is interleaved with its baselines (GetItem before, bare replay and gateway floor after), the requests are split into rounds and ratios are the median of the rounds.',
  'bare: the SDK calls the request made (recorded at send: command, input, start, end), replayed through fresh SDK clients with the platform\'s client options and no middleware, same order, calls that overlapped run in parallel; requests that only read replay against the real tables, requests with a write against shadow tables kept in step (decision 0130; shadowProbe shows their bias).',
  'hop: the gateway answering a request itself (HTTP, routing; no JWT verification, no function): the floor of the HTTP hop every request pays.',
];

/** Prepares a scenario, or says why it is skipped or failed. */
async function prepareScenario(scenario: Scenario, context: BenchContext): Promise<{ prepared?: PreparedScenario; result?: ScenarioResult }> {
  const routes = new Set(catalog.routes.map((route) => `${route.method} ${route.path}`));
  const missing = scenario.needs.filter((route) => !routes.has(route));
  if (missing.length > 0) return { result: { name: scenario.name, skipped: `no route ${missing.join(', ')}` } };
  try {
    return { prepared: await scenario.prepare(context) };
  } catch (error) {
    return { result: { name: scenario.name, error: `setup: ${(error as Error).message}` } };
  }
}

interface Measure {
  readonly apiUrl: string;
  readonly n: number;
  readonly rounds: number;
  readonly getItem: () => Promise<number>;
  readonly hop: () => Promise<number>;
  readonly bare: BareClients;
  readonly shadow: Shadow;
  readonly allBaseline: number[];
}

/**
 * Per request: a GetItem (the machine's load drifts over minutes, so each scenario is compared with
 * baselines measured under the same conditions), the request with its SDK calls recorded, those calls
 * replayed bare (then what they touched first is mirrored into the shadow tables), and the gateway
 * floor. Warm-up requests are replayed too: their first replays find the shadow tables still empty.
 */
async function runScenario(scenario: Scenario, prepared: PreparedScenario, index: number, m: Measure): Promise<ScenarioResult> {
  try {
    const ok = (status: number) => (prepared.expectStatus ? prepared.expectStatus.includes(status) : status >= 200 && status < 300);
    const durations: number[] = [];
    const baselineDurations: number[] = [];
    const bareDurations: number[] = [];
    const hopDurations: number[] = [];
    const calls: Record<string, number>[] = [];
    const recorded: RecordedCall[][] = [];
    let mismatches = 0;
    for (let i = -WARMUP; i < m.n; i++) {
      const baselineMs = await m.getItem();
      const request = prepared.request(i);
      const id = `${index}:${i}`;
      const recording = startRecording(id);
      takeSdkCalls();
      const started = performance.now();
      const response = await sendRaw(m.apiUrl, { ...request, headers: { ...request.headers, [REQUEST_ID_HEADER]: id } });
      const elapsed = performance.now() - started;
      const made = takeSdkCalls();
      const sent = recording.take();
      if (!ok(response.status)) throw new Error(`${request.method} ${request.path} answered ${response.status}: ${response.text.slice(0, 200)}`);
      await m.shadow.catchUp();
      const bare = await replay(sent, m.bare);
      await m.shadow.mirror(sent, bare.mismatches > 0);
      const hopMs = await m.hop();
      if (i < 0) continue;
      mismatches += bare.mismatches;
      durations.push(elapsed);
      baselineDurations.push(baselineMs);
      bareDurations.push(bare.ms);
      hopDurations.push(hopMs);
      calls.push(made);
      recorded.push(sent);
    }
    m.allBaseline.push(...baselineDurations);
    const timing = percentiles(durations);
    const baseline = percentiles(baselineDurations);
    const bare = percentiles(bareDurations);
    const hop = percentiles(hopDurations);
    const p50OverBaseline = round(timing.p50Ms / baseline.p50Ms);
    const overBare = bare.p50Ms > 0 ? roundRatios(durations, bareDurations, hopDurations, m.rounds) : undefined;
    const callsPerRequest = callStatistics(calls);
    const callsOk = scenario.maxCalls && Object.entries(scenario.maxCalls).every(([name, limit]) => (callsPerRequest[name]?.max ?? 0) <= limit);
    const trips = recorded.map(roundTrips).sort((a, b) => a - b);
    return {
      name: scenario.name,
      ...timing,
      callsPerRequest,
      callPatterns: patterns(calls),
      maxCalls: scenario.maxCalls,
      baseline,
      p50OverBaseline,
      bare,
      overBare,
      hop,
      roundTrips: { median: trips[Math.floor((trips.length - 1) / 2)] ?? 0, max: trips.at(-1) ?? 0 },
      timelines: counted(recorded.map(timeline)),
      replayMismatches: mismatches,
      pass: {
        latency: p50OverBaseline <= LATENCY_TARGET.maxP50OverBaseline,
        bare: overBare ? overBare.p50 <= LATENCY_TARGET.maxP50OverBare : undefined,
        calls: callsOk,
      },
    };
  } catch (error) {
    return { name: scenario.name, error: (error as Error).message };
  }
}

/** The requests split into consecutive rounds; per round p50 over the bare p50; the median round and each round's ratio. */
function roundRatios(ours: number[], bare: number[], hop: number[], rounds: number): NonNullable<ScenarioResult['overBare']> {
  const size = Math.max(1, Math.ceil(ours.length / rounds));
  const ratios: number[] = [];
  const withoutHop: number[] = [];
  for (let start = 0; start < ours.length; start += size) {
    const p50 = (values: number[]) => percentiles(values.slice(start, start + size)).p50Ms;
    ratios.push(p50(ours) / p50(bare));
    withoutHop.push((p50(ours) - p50(hop)) / p50(bare));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  return { p50: round(median(ratios)), rounds: ratios.map(round), withoutHop: round(median(withoutHop)) };
}

function counted(values: string[]): Array<{ timeline: string; requests: number }> {
  const seen = new Map<string, number>();
  for (const value of values) seen.set(value, (seen.get(value) ?? 0) + 1);
  return [...seen].sort((a, b) => b[1] - a[1]).map(([timeline, requests]) => ({ timeline, requests }));
}

/** The gateway's floor: a request it answers itself, on a kept-alive connection like the measured ones. */
function hopBaseline(apiUrl: string): () => Promise<number> {
  return async () => {
    const started = performance.now();
    const response = await fetch(`${apiUrl}/.well-known/jwks.json`);
    await response.text();
    return performance.now() - started;
  };
}

/** A timed bare SDK GetItem of a 200-byte item on the same DynamoDB Local. */
async function getItemBaseline(client: DynamoDBClient): Promise<() => Promise<number>> {
  const Key = { PK: { S: 'BENCH#baseline' }, SK: { S: 'BENCH' } };
  await client.send(new PutItemCommand({ TableName: LOCAL_NAMES.tableName, Item: { ...Key, entityType: { S: 'Bench' }, payload: { S: 'x'.repeat(200) } } }));
  return async () => {
    const started = performance.now();
    await client.send(new GetItemCommand({ TableName: LOCAL_NAMES.tableName, Key }));
    return performance.now() - started;
  };
}

/** One request, read to the last byte (what the measured loop times). */
export async function sendRaw(apiUrl: string, request: BenchRequest): Promise<{ status: number; headers: Headers; text: string }> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] ??= 'application/json';
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const response = await fetch(`${apiUrl}${request.path}`, { method: request.method, headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function send(apiUrl: string, request: BenchRequest): Promise<BenchResponse> {
  const response = await sendRaw(apiUrl, request);
  let body: unknown;
  try {
    body = response.text ? JSON.parse(response.text) : undefined;
  } catch {
    body = undefined;
  }
  return { ...response, body };
}

/** Nearest-rank percentiles. */
export function percentiles(durations: number[]): Timing {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return { n: sorted.length, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)) };
}

export const round = (ms: number) => Math.round(ms * 100) / 100;
const serviceOf = (operation: string) => operation.split('.')[0];

/**
 * Median and max calls per request, by service (`DynamoDB`) and by operation (`DynamoDB.Query`). Consumers
 * triggered by the outbox run in this process too and could land calls in a later request's window; the
 * call patterns show when that happens.
 */
function callStatistics(calls: Record<string, number>[]): Record<string, { median: number; max: number }> {
  const names = new Set(['DynamoDB', 'KMS', ...calls.flatMap((made) => Object.keys(made).flatMap((op) => [op, serviceOf(op)]))]);
  const countOf = (made: Record<string, number>, name: string) =>
    Object.entries(made).reduce((sum, [op, count]) => sum + (op === name || serviceOf(op) === name ? count : 0), 0);
  return Object.fromEntries(
    [...names].sort().map((name) => {
      const counts = calls.map((made) => countOf(made, name)).sort((a, b) => a - b);
      return [name, { median: counts[Math.floor((counts.length - 1) / 2)] ?? 0, max: counts.at(-1) ?? 0 }];
    }),
  );
}

function patterns(calls: Record<string, number>[]): Array<{ operations: Record<string, number>; requests: number }> {
  const seen = new Map<string, number>();
  for (const made of calls) {
    const key = JSON.stringify(Object.fromEntries(Object.entries(made).sort()));
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].sort((a, b) => b[1] - a[1]).map(([key, requests]) => ({ operations: JSON.parse(key) as Record<string, number>, requests }));
}
